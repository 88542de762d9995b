/*-------------------------------------------------------------------------
 *
 * checksum.c
 *	  SHA-256 checksums of migration files, as lower-case hexadecimal.
 *
 * The checksum covers the exact bytes of migration.sql (no newline or
 * encoding normalisation), so it equals the output of sha256sum(1) and the
 * checksum the Prisma CLI stores.  Computed with OpenSSL's EVP interface.
 * Whether a file still matches the checksum recorded when it was applied
 * is decided as Prisma decides it (fm_checksum_matches): line endings
 * aside.
 *
 * src/backend/checksum.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <openssl/evp.h>

#include "deploy.h"

/*
 * sha256
 *		The SHA-256 digest of data[0..len) into digest (32 bytes).
 */
static void
sha256(const char *data, size_t len, unsigned char *digest)
{
	EVP_MD_CTX *ctx;
	unsigned int dlen = 0;
	bool		ok;

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Could not allocate an OpenSSL digest context.")));

	/* nothing below can ereport, so no PG_TRY is needed around ctx */
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
		EVP_DigestUpdate(ctx, data, len) == 1 &&
		EVP_DigestFinal_ex(ctx, digest, &dlen) == 1 &&
		dlen == FM_SHA256_HEX_LEN / 2;
	EVP_MD_CTX_free(ctx);

	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not compute SHA-256 checksum")));
}

/*
 * hex_digest
 *		digest as lower-case hex into out (NUL-terminated): two digits a
 *		byte, or, when padded is false, without the leading zero of a byte
 *		below 0x10 (the form of early Prisma versions, below).
 */
static void
hex_digest(const unsigned char *digest, bool padded, char *out)
{
	static const char hex[] = "0123456789abcdef";
	int			o = 0;

	for (int i = 0; i < FM_SHA256_HEX_LEN / 2; i++)
	{
		if (padded || digest[i] >= 0x10)
			out[o++] = hex[digest[i] >> 4];
		out[o++] = hex[digest[i] & 0x0f];
	}
	out[o] = '\0';
}

/*
 * fm_sha256_hex
 *		Write the SHA-256 of data[0..len) as 64 lower-case hex digits plus a
 *		NUL terminator into out (at least FM_SHA256_HEX_LEN + 1 bytes).
 */
void
fm_sha256_hex(const char *data, size_t len, char *out)
{
	unsigned char digest[FM_SHA256_HEX_LEN / 2];

	sha256(data, len, digest);
	hex_digest(digest, true, out);
}

/*
 * one line-ending variant of sql[0..len) (palloc'd, length in *outlen):
 * every CRLF made LF (to_lf), or every LF made CRLF, as Rust's
 * str::replace does (an LF already after a CR gets another CR)
 */
static char *
line_ending_variant(const char *sql, size_t len, bool to_lf, size_t *outlen)
{
	char	   *out = palloc(to_lf ? len + 1 : 2 * len + 1);
	size_t		o = 0;

	for (size_t i = 0; i < len; i++)
	{
		if (to_lf && sql[i] == '\r' && i + 1 < len && sql[i + 1] == '\n')
			continue;			/* the LF follows */
		if (!to_lf && sql[i] == '\n')
			out[o++] = '\r';
		out[o++] = sql[i];
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* does the digest of data[0..len) read as recorded (see fm_checksum_matches)? */
static bool
digest_matches(const char *data, size_t len, const char *recorded)
{
	unsigned char digest[FM_SHA256_HEX_LEN / 2];
	char		hexed[FM_SHA256_HEX_LEN + 1];

	sha256(data, len, digest);
	hex_digest(digest, strlen(recorded) == FM_SHA256_HEX_LEN || recorded[0] == '\0', hexed);
	return strcmp(hexed, recorded) == 0;
}

/*
 * fm_checksum_matches
 *		Does a migration whose file holds sql[0..len), with the checksum
 *		exact (fm_sha256_hex of those bytes), match the checksum recorded
 *		when it was applied?  As Prisma Migrate decides (its
 *		script_matches_checksum), so that a history Prisma applied reads
 *		the same here:
 *
 *		- a change of line endings alone is not a modification: git turns
 *		  LF into CRLF on checkout on Windows and back on commit, so the
 *		  bytes with every CRLF made LF, and with every LF made CRLF, match
 *		  too;
 *		- a recorded checksum that is not 64 characters long was written by
 *		  an early Prisma version that left out the leading zero of each
 *		  byte below 0x10 (prisma-engines issue 1887), and is compared in
 *		  that form.
 *
 *		The recorded row is left as it is; a new migration records the
 *		checksum of its exact bytes.
 */
bool
fm_checksum_matches(const char *recorded, const char *sql, size_t len,
					const char *exact)
{
	bool		match;
	char	   *v;
	size_t		vlen;

	if (strcmp(recorded, exact) == 0)
		return true;
	if (strlen(recorded) != FM_SHA256_HEX_LEN && digest_matches(sql, len, recorded))
		return true;
	if (memchr(sql, '\n', len) == NULL)
		return false;			/* no line ends: no other variant */
	v = line_ending_variant(sql, len, true, &vlen);
	match = digest_matches(v, vlen, recorded);
	pfree(v);
	if (match)
		return true;
	v = line_ending_variant(sql, len, false, &vlen);
	match = digest_matches(v, vlen, recorded);
	pfree(v);
	return match;
}
