/*-------------------------------------------------------------------------
 *
 * migfiles.c
 *	  Reading a migrations directory as the ferriorm (and Prisma) CLI lays
 *	  it out:
 *
 *		dir/migration_lock.toml				provider = "postgresql"
 *		dir/<timestamp>_<name>/migration.sql
 *		...
 *
 * Every sub-directory whose name does not start with a dot is a migration
 * folder, whatever its name (Prisma's and the ferriorm CLI's rule: spaces,
 * Unicode, 0001_init, a trailing '_'), and must contain a readable regular
 * file migration.sql; other files in it (the CLI's _schema_snapshot.json)
 * are ignored.  Other plain files (README, .gitkeep, ...) and dot-entries
 * are ignored.  A plain file named <digits>_<name> is an error, since it is
 * certainly a mistake.  Folders are returned in byte-wise name order, which
 * is the order migrations are applied in.
 *
 * Reading needs superuser or the privileges of pg_read_server_files, as for
 * COPY FROM a file.
 *
 * src/backend/migfiles.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/pg_authid.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/acl.h"
#include "utils/memutils.h"

#include "deploy.h"

#define FM_LOCK_FILE		"migration_lock.toml"
#define FM_MIGRATION_FILE	"migration.sql"
#define FM_MAX_NAME_LEN		255

#if PG_VERSION_NUM < 140000
#define ROLE_PG_READ_SERVER_FILES DEFAULT_ROLE_READ_SERVER_FILES
#endif

/*
 * fm_check_read_privilege
 *		Reading migration files on the server requires what COPY FROM a file
 *		requires; same check, same wording.
 */
void
fm_check_read_privilege(void)
{
	if (!superuser() &&
		!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be superuser or have privileges of the pg_read_server_files role to read migration files"),
				 errhint("Use ferriorm_apply() to apply a migration given as text, "
						 "if you have been granted EXECUTE on it.")));
}

/*
 * looks_like_timestamped
 *		<digits>_<letters, digits, '_', '-', '.'>: the classic form of a
 *		migration folder.  A plain file named like that is a mistake when
 *		the directory has no migration folder at all (a flat layout), and
 *		is refused; beside migration folders it is ignored with a warning,
 *		as Prisma Migrate ignores it (real histories keep hand-run scripts
 *		there); other plain files are ignored.
 */
static bool
looks_like_timestamped(const char *name)
{
	const char *p = name;

	if (!(*p >= '0' && *p <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p != '_')
		return false;
	for (p++; *p; p++)
	{
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			  (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return false;
	}
	return true;
}

/*
 * fm_valid_migration_name
 *		Any name Prisma and the ferriorm CLI accept for a migration folder:
 *		one path component (no '/', not "." or ".."), 1 to 255 bytes, valid
 *		in the database encoding (a NUL cannot occur in a C string).
 *		Spaces, Unicode, a trailing '_' and 0001_init are all fine.
 */
bool
fm_valid_migration_name(const char *name)
{
	size_t		len = strlen(name);

	if (len == 0 || len > FM_MAX_NAME_LEN)
		return false;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	if (strchr(name, '/') != NULL)
		return false;
	return pg_verify_mbstr(GetDatabaseEncoding(), name, (int) len, true);
}

static int
invalid_name_detail(void)
{
	return errdetail("A migration name is one folder name: 1 to 255 bytes, valid in the database encoding, "
					 "without \"/\", and neither \".\" nor \"..\".");
}

/*
 * fm_check_migration_name
 *		Error out on a name ferriorm_apply / ferriorm_resolve cannot accept.
 */
void
fm_check_migration_name(const char *name)
{
	if (!fm_valid_migration_name(name))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid migration name \"%s\"",
						pg_verify_mbstr(GetDatabaseEncoding(), name, strlen(name), true) ? name : "(invalid encoding)"),
				 invalid_name_detail()));
}

/*
 * fm_check_sql_encoding
 *		Migration SQL must be valid in the database encoding (this also
 *		rejects NUL bytes) before it is given to the parser.
 */
void
fm_check_sql_encoding(const char *name, const char *sql, int len)
{
	if (!pg_verify_mbstr(GetDatabaseEncoding(), sql, len, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("migration \"%s\" is not valid in encoding \"%s\"",
						name, GetDatabaseEncodingName()),
				 errdetail("The file contains a NUL byte or an invalid byte sequence.")));
}

/*
 * fm_read_whole_file
 *		Read a regular file completely; returns a palloc'd, NUL-terminated
 *		buffer and its length.  Errors name the file.
 */
char *
fm_read_whole_file(const char *path, int *lenp)
{
	int			fd;
	char	   *buf = NULL;
	int			len = 0;

	/*
	 * O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer, in the kernel, where neither cancel nor statement_timeout can
	 * reach us.  It has no effect on regular files, and anything else is
	 * refused right after the fstat() below.
	 */
	fd = OpenTransientFile(path, O_RDONLY | O_NONBLOCK | PG_BINARY);
	if (fd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open file \"%s\" for reading: %m", path)));

	PG_TRY();
	{
		struct stat st;
		Size		cap;

		if (fstat(fd, &st) < 0)
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not stat file \"%s\": %m", path)));
		if (!S_ISREG(st.st_mode))
			ereport(ERROR,
					(errcode(ERRCODE_WRONG_OBJECT_TYPE),
					 errmsg("\"%s\" is not a regular file", path)));
		if ((Size) st.st_size >= MaxAllocSize - 1)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("file \"%s\" is too large", path)));

		cap = (Size) st.st_size + 1;
		buf = palloc(cap);
		for (;;)
		{
			ssize_t		n;

			CHECK_FOR_INTERRUPTS();
			if ((Size) len + 1 >= cap)
			{
				/* the file grew while we read it */
				if (cap >= MaxAllocSize / 2)
					ereport(ERROR,
							(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							 errmsg("file \"%s\" is too large", path)));
				cap *= 2;
				buf = repalloc(buf, cap);
			}
			n = read(fd, buf + len, cap - 1 - len);
			if (n < 0)
			{
				if (errno == EINTR)
					continue;
				ereport(ERROR,
						(errcode_for_file_access(),
						 errmsg("could not read file \"%s\": %m", path)));
			}
			if (n == 0)
				break;
			len += (int) n;
		}
		buf[len] = '\0';
	}
	PG_FINALLY();
	{
		CloseTransientFile(fd);
	}
	PG_END_TRY();

	*lenp = len;
	return buf;
}

/*
 * parse_toml_string
 *		Parse a TOML basic ("...") or literal ('...') string without escapes
 *		at *p; returns the palloc'd value or NULL if malformed.
 */
static char *
parse_toml_string(const char *p, const char **endp)
{
	char		q = *p;
	const char *start;

	if (q != '"' && q != '\'')
		return NULL;
	start = ++p;
	while (*p && *p != q && *p != '\n' && *p != '\\')
		p++;
	if (*p != q)
		return NULL;
	*endp = p + 1;
	return pnstrdup(start, p - start);
}

/*
 * check_lock_file
 *		Validate dir/migration_lock.toml if it exists.  Only the top-level
 *		key "provider" matters; it must be "postgresql".
 */
static void
check_lock_file(const char *dir)
{
	char	   *path = psprintf("%s/%s", dir, FM_LOCK_FILE);
	struct stat st;
	char	   *text;
	int			len;
	char	   *provider = NULL;
	int			lineno = 0;
	const char *line;

	if (stat(path, &st) < 0)
	{
		if (errno == ENOENT)
			return;				/* a missing lock file is accepted */
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not stat file \"%s\": %m", path)));
	}

	text = fm_read_whole_file(path, &len);

	line = text;
	while (*line)
	{
		const char *eol = strchr(line, '\n');
		const char *next = eol ? eol + 1 : line + strlen(line);
		char	   *l = pnstrdup(line, next - line);
		char	   *p = l;

		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "provider", 8) == 0 &&
			(p[8] == ' ' || p[8] == '\t' || p[8] == '='))
		{
			const char *end;
			char	   *value;

			p += 8;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '=')
			{
				p++;
				while (*p == ' ' || *p == '\t')
					p++;
				value = parse_toml_string(p, &end);
				if (value != NULL)
				{
					while (*end == ' ' || *end == '\t' || *end == '\r' ||
						   *end == '\n')
						end++;
					if (*end == '\0' || *end == '#')
					{
						provider = value;
						break;
					}
				}
			}
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("could not parse the provider setting in file \"%s\", line %d",
							FM_LOCK_FILE, lineno),
					 errdetail("Expected a line of the form provider = \"postgresql\".")));
		}
		line = next;
	}

	if (provider == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("file \"%s\" does not specify a provider", FM_LOCK_FILE),
				 errhint("The file should contain the line provider = \"postgresql\".")));

	if (strcmp(provider, "postgresql") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("migrations directory is locked to provider \"%s\"",
						provider),
				 errdetail("File \"%s\" records provider \"%s\"; ferriorm deploys to PostgreSQL only.",
						   FM_LOCK_FILE, provider),
				 errhint("Generate the migrations for provider \"postgresql\", or point to the right directory.")));
}

static int
cmp_name(const ListCell *a, const ListCell *b)
{
	return strcmp((const char *) lfirst(a), (const char *) lfirst(b));
}

/*
 * fm_read_migrations_dir
 *		Read every migration of dir, checksum it, and return a List of
 *		FmMigFile sorted by name.  The caller has checked privileges.
 */
List *
fm_read_migrations_dir(const char *dir_in)
{
	char	   *dir = pstrdup(dir_in);
	DIR		   *d;
	struct dirent *de;
	List	   *names = NIL;
	List	   *result = NIL;
	List	   *stray = NIL;
	ListCell   *lc;

	if (dir[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the path of the migrations directory must not be empty")));
	canonicalize_path(dir);

	/* the directory itself first: an error names it, not a file in it */
	{
		struct stat st;

		if (stat(dir, &st) < 0)
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not open directory \"%s\": %m", dir),
					 is_absolute_path(dir) ? 0 :
					 errhint("A relative path is taken from the server's data directory; give an absolute path.")));
		if (!S_ISDIR(st.st_mode))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"%s\" is not a directory", dir),
					 errhint("Give the migrations directory, the one that holds a folder per migration and migration_lock.toml.")));
		if (access(dir, R_OK | X_OK) < 0)
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not open directory \"%s\": %m", dir)));
	}
	check_lock_file(dir);

	/* collect the names first, so that errors do not depend on readdir order */
	d = AllocateDir(dir);
	PG_TRY();
	{
		while ((de = ReadDir(d, dir)) != NULL)
		{
			CHECK_FOR_INTERRUPTS();
			if (de->d_name[0] == '.')
				continue;		/* ., .., .git, .DS_Store ... */
			names = lappend(names, pstrdup(de->d_name));
		}
	}
	PG_FINALLY();
	{
		if (d)
			FreeDir(d);
	}
	PG_END_TRY();
	list_sort(names, cmp_name);

	foreach(lc, names)
	{
		char	   *entname = lfirst(lc);
		char	   *entpath;
		struct stat st;
		FmMigFile  *m;

		CHECK_FOR_INTERRUPTS();

		entpath = psprintf("%s/%s", dir, entname);
		if (stat(entpath, &st) < 0)
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not stat file \"%s\": %m", entpath)));

		if (!S_ISDIR(st.st_mode))
		{
			if (looks_like_timestamped(entname))
				stray = lappend(stray, entname);
			continue;			/* other files are ignored */
		}

		if (!fm_valid_migration_name(entname))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_NAME),
					 errmsg("invalid migration folder name"),
					 invalid_name_detail(),
					 errhint("Move other folders out of the migrations directory.")));

		m = palloc0(sizeof(FmMigFile));
		m->name = entname;
		m->path = psprintf("%s/%s", entpath, FM_MIGRATION_FILE);
		if (stat(m->path, &st) < 0)
		{
			if (errno == ENOENT)
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_FILE),
						 errmsg("migration folder \"%s\" contains no %s file",
								m->name, FM_MIGRATION_FILE)));
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not stat file \"%s\": %m", m->path)));
		}
		if (!S_ISREG(st.st_mode))
			ereport(ERROR,
					(errcode(ERRCODE_WRONG_OBJECT_TYPE),
					 errmsg("file \"%s\" of migration \"%s\" is not a regular file",
							FM_MIGRATION_FILE, m->name)));
		m->sql = fm_read_whole_file(m->path, &m->len);
		fm_sha256_hex(m->sql, m->len, m->checksum);
		result = lappend(result, m);
	}

	foreach(lc, stray)
	{
		char	   *entname = lfirst(lc);

		if (result == NIL)
			ereport(ERROR,
					(errcode(ERRCODE_WRONG_OBJECT_TYPE),
					 errmsg("migration \"%s\" is not a folder", entname),
					 errdetail("Each migration is a folder containing a migration.sql file.")));
		ereport(WARNING,
				(errcode(ERRCODE_WARNING),
				 errmsg("file \"%s\" of the migrations directory is not a migration folder and is not applied",
						entname),
				 errdetail("Each migration is a folder containing a migration.sql file; Prisma Migrate ignores plain files too."),
				 errhint("To apply it, make it the migration.sql of a folder of that name; otherwise move it out of the directory.")));
	}

	return result;
}

/* The migration called name among files (of FmMigFile *), or NULL. */
FmMigFile *
fm_find_migration_file(List *files, const char *name)
{
	ListCell   *lc;

	foreach(lc, files)
		if (strcmp(((FmMigFile *) lfirst(lc))->name, name) == 0)
			return lfirst(lc);
	return NULL;
}
