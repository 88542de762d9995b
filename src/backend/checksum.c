/*-------------------------------------------------------------------------
 *
 * checksum.c
 *	  SHA-256 checksums of migration files, as lower-case hexadecimal.
 *
 * The checksum covers the exact bytes of migration.sql (no newline or
 * encoding normalisation), so it equals the output of sha256sum(1) and the
 * checksum the Prisma CLI stores.  Computed with OpenSSL's EVP interface.
 *
 * src/backend/checksum.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <openssl/evp.h>

#include "deploy.h"

/*
 * fm_sha256_hex
 *		Write the SHA-256 of data[0..len) as 64 lower-case hex digits plus a
 *		NUL terminator into out (at least FM_SHA256_HEX_LEN + 1 bytes).
 */
void
fm_sha256_hex(const char *data, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	EVP_MD_CTX *ctx;
	unsigned char digest[EVP_MAX_MD_SIZE];
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

	for (unsigned int i = 0; i < dlen; i++)
	{
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 0x0f];
	}
	out[FM_SHA256_HEX_LEN] = '\0';
}
