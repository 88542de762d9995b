/*-------------------------------------------------------------------------
 *
 * schemafiles.c
 *	  ferriorm_read_schema(path): schema text from the server's file
 *	  system, one file or a folder of them, for the functions that take
 *	  schema text (validate, plan, push, dev, pull's previous text).
 *
 * A folder is read as Prisma reads a multi-file schema (a `schema` folder,
 * prismaSchemaFolder): every regular file whose name ends in ".prisma" or
 * ".ferriorm", in the folder and its sub-folders, is part of one schema;
 * the blocks may be spread over the files in any way, since no block of the
 * language depends on where another is written.  The files are joined in
 * byte-wise order of their paths relative to the folder, each preceded by
 * a comment line naming it ("// file: models/user.prisma"), so that a
 * diagnostic's line number can be traced back to its file.  Entries whose
 * names start with a dot (.git, editors' files) are skipped, as the
 * migrations reader skips them; symbolic links are followed, to a depth of
 * FM_SCHEMA_MAX_DEPTH folders, which also ends a loop of links, and a
 * broken one is skipped unless it is named like a schema file.
 *
 * Each file must be UTF-8 (the language's encoding); a byte-order mark at
 * its start is dropped.  The result is in the database encoding, like any
 * text argument.  The whole is bounded by ferriorm.max_schema_size, checked
 * from the files' sizes before any is read.
 *
 * Reading needs superuser or the privileges of pg_read_server_files, as
 * for COPY FROM a file, checked before the path is looked at.
 *
 * src/backend/schemafiles.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sys/stat.h>

#include "catalog/pg_authid.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/acl.h"
#include "utils/builtins.h"

#include "deploy.h"
#include "ferriorm.h"

#if PG_VERSION_NUM < 140000
#define ROLE_PG_READ_SERVER_FILES DEFAULT_ROLE_READ_SERVER_FILES
#endif

/* folders below the one given, at most (a loop of symbolic links ends here) */
#define FM_SCHEMA_MAX_DEPTH 16

PG_FUNCTION_INFO_V1(ferriorm_read_schema);

/* one schema file of a folder: its path relative to the folder */
typedef struct SchemaFile
{
	char	   *rel;
	char	   *path;
	off_t		size;
} SchemaFile;

/* is name a schema file's name? */
static bool
is_schema_file_name(const char *name)
{
	size_t		n = strlen(name);

	return (n > 7 && strcmp(name + n - 7, ".prisma") == 0) ||
		(n > 9 && strcmp(name + n - 9, ".ferriorm") == 0);
}

/*
 * rel as it goes into the comment line before its file: a control
 * character (a line end would end the comment) and, when rel is not UTF-8,
 * every non-ASCII byte become '?'.
 */
static char *
comment_safe(const char *rel)
{
	char	   *s = pstrdup(rel);
	bool		utf8 = pg_verify_mbstr(PG_UTF8, s, strlen(s), true);

	for (unsigned char *p = (unsigned char *) s; *p; p++)
		if (*p < 0x20 || *p == 0x7F || (*p >= 0x80 && !utf8))
			*p = '?';
	return s;
}

static int
cmp_schema_file(const ListCell *a, const ListCell *b)
{
	return strcmp(((SchemaFile *) lfirst(a))->rel, ((SchemaFile *) lfirst(b))->rel);
}

/*
 * collect_files
 *		Append to *files the schema files of folder dir (path rel relative
 *		to the folder given, "" for that one) and its sub-folders, depth
 *		folders down.
 */
static void
collect_files(const char *dir, const char *rel, int depth, List **files)
{
	DIR		   *d;
	struct dirent *de;
	List	   *names = NIL;
	ListCell   *lc;

	if (depth > FM_SCHEMA_MAX_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("schema folder \"%s\" is more than %d folders deep", dir,
						FM_SCHEMA_MAX_DEPTH),
				 errhint("A symbolic link may lead back to a folder above it.")));
	d = AllocateDir(dir);
	PG_TRY();
	{
		while ((de = ReadDir(d, dir)) != NULL)
		{
			CHECK_FOR_INTERRUPTS();
			if (de->d_name[0] != '.')
				names = lappend(names, pstrdup(de->d_name));
		}
	}
	PG_FINALLY();
	{
		if (d)
			FreeDir(d);
	}
	PG_END_TRY();

	foreach(lc, names)
	{
		char	   *name = lfirst(lc);
		char	   *path = psprintf("%s/%s", dir, name);
		char	   *entrel = rel[0] ? psprintf("%s/%s", rel, name) : name;
		struct stat st;

		CHECK_FOR_INTERRUPTS();
		if (stat(path, &st) < 0)
		{
			/* a broken link named like anything but a schema file is no concern */
			if (errno == ENOENT && !is_schema_file_name(name))
				continue;
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not stat file \"%s\": %m", path)));
		}
		if (S_ISDIR(st.st_mode))
			collect_files(path, entrel, depth + 1, files);
		else if (S_ISREG(st.st_mode) && is_schema_file_name(name))
		{
			SchemaFile *f = palloc(sizeof(SchemaFile));

			f->rel = entrel;
			f->path = path;
			f->size = st.st_size;
			*files = lappend(*files, f);
		}
	}
}

/*
 * append_file
 *		Read the schema file path (shown as what in messages) and append its
 *		text to buf: UTF-8 checked, a leading byte-order mark dropped, a
 *		line end added when the file has none at its end.
 */
static void
append_file(StringInfo buf, const char *path, const char *what)
{
	int			len;
	char	   *data = fm_read_whole_file(path, &len);
	char	   *p = data;

	if (len >= 3 && (unsigned char) p[0] == 0xEF && (unsigned char) p[1] == 0xBB &&
		(unsigned char) p[2] == 0xBF)
	{
		p += 3;
		len -= 3;
	}
	if (!pg_verify_mbstr(PG_UTF8, p, len, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("schema file \"%s\" is not valid UTF-8", what),
				 errdetail("The file contains a NUL byte or a byte sequence that is not UTF-8."),
				 errhint("Schema files are read as UTF-8; save the file in that encoding.")));
	appendBinaryStringInfo(buf, p, len);
	if (len > 0 && p[len - 1] != '\n')
		appendStringInfoChar(buf, '\n');
	pfree(data);
}

/*
 * ferriorm_read_schema(path text) RETURNS text
 *
 * The schema text of the file path, or of the schema files of the folder
 * path (see the header comment), in the database encoding.
 */
Datum
ferriorm_read_schema(PG_FUNCTION_ARGS)
{
	char	   *path = text_to_cstring(PG_GETARG_TEXT_PP(0));
	struct stat st;
	StringInfoData buf;
	char	   *out;

	/* before the path is looked at: its existence is no one else's business */
	if (!superuser() &&
		!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be superuser or have privileges of the pg_read_server_files role to read schema files"),
				 errhint("Read the file on the client and pass its text to the function that takes the schema.")));
	if (path[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("schema path must not be empty")));
	canonicalize_path(path);
	if (stat(path, &st) < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not stat file \"%s\": %m", path)));
	initStringInfo(&buf);
	if (!S_ISDIR(st.st_mode))
	{
		fm_check_schema_size((Size) st.st_size, "schema");
		append_file(&buf, path, path);
	}
	else
	{
		List	   *files = NIL;
		Size		total = 0;
		ListCell   *lc;

		collect_files(path, "", 0, &files);
		if (files == NIL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FILE),
					 errmsg("schema folder \"%s\" has no schema files", path),
					 errhint("Schema files end in \".prisma\" or \".ferriorm\"; a folder is read with its sub-folders.")));
		list_sort(files, cmp_schema_file);
		foreach(lc, files)
			total += (Size) ((SchemaFile *) lfirst(lc))->size +
				strlen(((SchemaFile *) lfirst(lc))->rel) + 12;
		fm_check_schema_size(total, "schema");
		foreach(lc, files)
		{
			SchemaFile *f = lfirst(lc);

			CHECK_FOR_INTERRUPTS();
			appendStringInfo(&buf, "// file: %s\n", comment_safe(f->rel));
			append_file(&buf, f->path, f->path);
		}
	}
	/* the files may have grown since they were measured */
	fm_check_schema_size((Size) buf.len, "schema");
	out = pg_any_to_server(buf.data, buf.len, PG_UTF8);
	PG_RETURN_TEXT_P(cstring_to_text(out));
}
