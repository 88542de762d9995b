/*-------------------------------------------------------------------------
 *
 * test_format.c
 *	  Unit tests for the canonical formatter (src/core/format.c): layout,
 *	  alignment, comments, string escaping, and idempotence on many inputs.
 *
 * test/unit/test_format.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_ast.h"
#include "fm_parse.h"
#include "fm_test.h"

static FmArena *A;
static FmDiagList D;

static char *
fmt(const char *text)
{
	fm_diags_init(&D, A);
	return fm_format_schema(A, text, strlen(text), &D);
}

/* format(text) == want, format(want) == want, and no diagnostics */
#define CHECK_FORMAT(text, want) \
	do { \
		FM_CHECK_STR(fmt(text), (want)); \
		FM_CHECK_INT(D.items.n, 0); \
		FM_CHECK_STR(fmt(want), (want)); \
	} while (0)

/*
 * A messy example schema formatted to the canonical layout, exactly, and
 * the result formatted again unchanged.
 */
static void
test_example(void)
{
	const char *in =
		"// Example schema\n"
		"datasource db {\n"
		"provider = \"postgresql\"\n"
		"    url = env(\"DATABASE_URL\")    // the url   \n"
		"  schemas = [ \"public\" ,\"auth\" , ]\n"
		"}\n"
		"generator client {\n"
		"  provider = \"ferriorm-client\"\n"
		"}\n"
		"\n\n\n"
		"/// A user\n"
		"model User {\n"
		"  id Int @id @default(autoincrement( ))\n"
		"  email String @unique @db.VarChar(255)\n"
		"  /// the display name\n"
		"  name String ?\n"
		"  posts Post [ ]\n"
		"  weird Unsupported(\"circle\")?\n"
		"  @@map(\"users\")\n"
		"\n\n"
		"  createdAt DateTime @default(now()) @map(\"created_at\")\n"
		"  // index comment\n"
		"  @@index([email, name(sort:Desc)], map:\"x\", type:Gin, where:\"x > 0\")\n"
		"}\n"
		"model Post {\n"
		"  id Int @id\n"
		"  author User @relation(\"Author\", fields: [authorId], references: [id], onDelete: Cascade)\n"
		"  authorId Int\n"
		"  // closing comment\n"
		"} // end post\n"
		"enum Role {\n"
		"  USER\n"
		"  ADMINISTRATOR @map(\"admin\")\n"
		"  @@map(\"roles\")\n"
		"}\n"
		"// trailing file comment\n";
	const char *want =
		"// Example schema\n"
		"datasource db {\n"
		"  provider = \"postgresql\"\n"
		"  url      = env(\"DATABASE_URL\") // the url\n"
		"  schemas  = [\"public\", \"auth\"]\n"
		"}\n"
		"\n"
		"generator client {\n"
		"  provider = \"ferriorm-client\"\n"
		"}\n"
		"\n"
		"/// A user\n"
		"model User {\n"
		"  id        Int                    @id @default(autoincrement())\n"
		"  email     String                 @unique @db.VarChar(255)\n"
		"  /// the display name\n"
		"  name      String?\n"
		"  posts     Post[]\n"
		"  weird     Unsupported(\"circle\")?\n"
		"\n"
		"  createdAt DateTime               @default(now()) @map(\"created_at\")\n"
		"\n"
		"  @@map(\"users\")\n"
		"  // index comment\n"
		"  @@index([email, name(sort: Desc)], map: \"x\", type: Gin, where: \"x > 0\")\n"
		"}\n"
		"\n"
		"model Post {\n"
		"  id       Int  @id\n"
		"  author   User @relation(\"Author\", fields: [authorId], references: [id], onDelete: Cascade)\n"
		"  authorId Int\n"
		"  // closing comment\n"
		"} // end post\n"
		"\n"
		"enum Role {\n"
		"  USER\n"
		"  ADMINISTRATOR @map(\"admin\")\n"
		"\n"
		"  @@map(\"roles\")\n"
		"}\n"
		"// trailing file comment\n";

	A = fm_arena_create();
	CHECK_FORMAT(in, want);
	fm_arena_destroy(A);
}

static void
test_layout_details(void)
{
	A = fm_arena_create();
	/* empty input and empty blocks */
	CHECK_FORMAT("", "");
	CHECK_FORMAT("\n\n  \n", "");
	CHECK_FORMAT("model A {}", "model A {\n}\n");
	CHECK_FORMAT("model A {\n\n\n}\n\n\n\nmodel B {}\n", "model A {\n}\n\nmodel B {\n}\n");
	/* one-line and brace-on-next-line blocks */
	CHECK_FORMAT("model A { id Int @id }\nenum E\n{\n  X\n}\n",
				 "model A {\n  id Int @id\n}\n\nenum E {\n  X\n}\n");
	/* blank lines between members are kept (one), not at the start */
	CHECK_FORMAT("model A {\n\n  a Int\n\n\n  bb Int @id\n}\n",
				 "model A {\n  a  Int\n\n  bb Int @id\n}\n");
	/* block attributes move after the fields, in order, blank lines kept */
	CHECK_FORMAT("model A {\n  @@unique([a])\n  a Int\n\n  @@index([a])\n  @@map(\"x\")\n  b Int\n}\n",
				 "model A {\n  a Int\n  b Int\n\n  @@unique([a])\n\n  @@index([a])\n  @@map(\"x\")\n}\n");
	/* a model with only block attributes */
	CHECK_FORMAT("model A {\n  @@map(\"x\")\n}\n", "model A {\n  @@map(\"x\")\n}\n");
	/* attribute column aligned also for fields without attributes */
	CHECK_FORMAT("model A {\n  a VeryLongType\n  b Int @id\n  c Int?\n}\n",
				 "model A {\n  a VeryLongType\n  b Int          @id\n  c Int?\n}\n");
	/* enum values aligned only when they have attributes */
	CHECK_FORMAT("enum E {\n  A\n  LONGER @map(\"l\")\n  B @map(\"b\")\n}\n",
				 "enum E {\n  A\n  LONGER @map(\"l\")\n  B      @map(\"b\")\n}\n");
	/* spacing inside attributes, @ and names, empty parentheses kept */
	CHECK_FORMAT("model A {\n  a Int @ default ( 1 ) @db . SmallInt @x()\n  b Unsupported()\n}\n",
				 "model A {\n  a Int           @default(1) @db.SmallInt @x()\n  b Unsupported()\n}\n");
	/* key = value entries aligned on "=" */
	CHECK_FORMAT("generator g {\n  a = 1\n  longer = [x, y.z, f(n: -2.5)]\n}\n",
				 "generator g {\n  a      = 1\n  longer = [x, y.z, f(n: -2.5)]\n}\n");
	/* multi-line arguments are joined; their comments move above */
	CHECK_FORMAT("model A {\n  id Int @id\n  @@index([\n    a, // first\n    b,\n  ],\n  map: \"m\")\n}\n",
				 "model A {\n  id Int @id\n\n  // first\n  @@index([a, b], map: \"m\")\n}\n");
	/* the column of a field name counts characters, not bytes */
	CHECK_FORMAT("model A {\n  a Unsupported(\"\xC3\xA9\xC3\xA9\") @x\n  b Int @y\n}\n",
				 "model A {\n  a Unsupported(\"\xC3\xA9\xC3\xA9\") @x\n  b Int               @y\n}\n");
	fm_arena_destroy(A);
}

static void
test_comments(void)
{
	A = fm_arena_create();
	CHECK_FORMAT("// only a comment", "// only a comment\n");
	CHECK_FORMAT("\n\n// a\n\n\n// b\n", "// a\n\n// b\n");
	/* header comment separated from the first block */
	CHECK_FORMAT("// header\n\nmodel A {\n}\n", "// header\n\nmodel A {\n}\n");
	/* comments between blocks: always a blank line before them */
	CHECK_FORMAT("model A {\n}\n// about B\nmodel B {\n}\n",
				 "model A {\n}\n\n// about B\nmodel B {\n}\n");
	CHECK_FORMAT("model A {\n}\n// after A\n\nmodel B {\n}\n",
				 "model A {\n}\n\n// after A\n\nmodel B {\n}\n");
	/* after the last block */
	CHECK_FORMAT("model A {\n}\n// end\n", "model A {\n}\n// end\n");
	CHECK_FORMAT("model A {\n}\n\n\n// end\n", "model A {\n}\n\n// end\n");
	/* on the brace lines, trailing, leading, before the closing brace */
	CHECK_FORMAT("model A {   // open\n"
				 "  // lead\n"
				 "\n"
				 "  /// doc\n"
				 "  id Int @id    /// trailing doc\n"
				 "  x Int // t\n"
				 "  @@map(\"a\") // m\n"
				 "\n\n"
				 "  // close 1\n"
				 "  // close 2\n"
				 "}   // end\n",
				 "model A { // open\n"
				 "  // lead\n"
				 "\n"
				 "  /// doc\n"
				 "  id Int @id /// trailing doc\n"
				 "  x  Int // t\n"
				 "\n"
				 "  @@map(\"a\") // m\n"
				 "\n"
				 "  // close 1\n"
				 "  // close 2\n"
				 "} // end\n");
	fm_arena_destroy(A);
}

static char *
fmt_prisma(const char *text)
{
	fm_diags_init(&D, A);
	return fm_format_schema_dialect(A, text, strlen(text), FM_DIALECT_PRISMA, &D);
}

/*
 * The prisma dialect's layout is Prisma's formatter's (the oracle test
 * compares whole schemas; these pin the rules): block comments rewritten,
 * with the quirk of a block comment that continues an indented run;
 * attributes sorted; alignment per run between blank lines; block
 * attributes without blank lines between them.  The ferriorm layout keeps
 * all of it as written, and stays idempotent.
 */
static void
test_prisma_layout(void)
{
	const char *src =
		"/* one\n   two */\n"
		"model A {\n"
		"  name String @map(\"n\") @unique\n"
		"  id Int @default(1) @id\n"
		"\n"
		"  /** first */\n"
		"  /* second\n  * starred */\n"
		"  longName Int\n"
		"  @@map(\"a\")\n"
		"\n"
		"  @@index([name], where: { name: { not: null } })\n"
		"}\n"
		"/* end */\n";
	const char *want_prisma =
		"/**\n * one\n * two\n */\n"
		"model A {\n"
		"  name String @unique @map(\"n\")\n"
		"  id   Int    @id @default(1)\n"
		"\n"
		"  /**\n   * first\n   */\n"
		"  /**\n   * /* second\n   * starred\n   */\n"
		"  longName Int\n"
		"\n"
		"  @@index([name], where: { name: { not: null } })\n"
		"  @@map(\"a\")\n"
		"}\n"
		"\n"
		"/**\n * end\n */\n";
	const char *want_ferriorm =
		"/* one\n   two */\n"
		"model A {\n"
		"  name     String @map(\"n\") @unique\n"
		"  id       Int    @default(1) @id\n"
		"\n"
		"  /** first */\n"
		"  /* second\n  * starred */\n"
		"  longName Int\n"
		"\n"
		"  @@map(\"a\")\n"
		"\n"
		"  @@index([name], where: { name: { not: null } })\n"
		"}\n"
		"/* end */\n";

	A = fm_arena_create();
	FM_CHECK_STR(fmt_prisma(src), want_prisma);
	FM_CHECK_INT(D.items.n, 0);
	/*
	 * not idempotent, like Prisma's own formatter: the rewritten second
	 * comment continues an indented run again and gains another line
	 */
	FM_CHECK(strstr(fmt_prisma(want_prisma), "   * /**\n   * /* second\n") != NULL);
	FM_CHECK_STR(fmt(src), want_ferriorm);
	FM_CHECK_STR(fmt(want_ferriorm), want_ferriorm);
	/* the dialect of the schema itself (a prisma generator) */
	{
		const char *gen = "generator c {\n  provider = \"prisma-client-js\"\n}\n/* x */\n";
		char	   *out;

		fm_diags_init(&D, A);
		out = fm_format_schema_dialect(A, gen, strlen(gen), FM_DIALECT_AUTO, &D);
		FM_CHECK(out && strstr(out, "/**\n * x\n */\n") != NULL);
	}
	/*
	 * enum values: Prisma pads the attributes to the longest value of the
	 * run, values without attributes included (prisma format's output);
	 * the ferriorm layout only among values that have some
	 */
	{
		const char *en =
			"enum E {\n  A @map(\"a\")\n  LONGER\n  B   @map(\"b\") // c\n"
			"\n  VERYLONGNAME\n  X @map(\"x\")\n}\n";

		FM_CHECK_STR(fmt_prisma(en),
					 "enum E {\n  A      @map(\"a\")\n  LONGER\n  B      @map(\"b\") // c\n"
					 "\n  VERYLONGNAME\n  X            @map(\"x\")\n}\n");
		FM_CHECK_STR(fmt(en),
					 "enum E {\n  A @map(\"a\")\n  LONGER\n  B @map(\"b\") // c\n"
					 "\n  VERYLONGNAME\n  X @map(\"x\")\n}\n");
	}
	fm_arena_destroy(A);
}

/*
 * Comments on a block's "{" and "}" lines in Prisma's layout (prisma
 * format's output): the one after "{" is dropped; those after "}" go below
 * it, one per line, and a blank line follows them only where one was
 * written.  The ferriorm layout keeps both where they are.
 */
static void
test_prisma_block_line_comments(void)
{
	const char *src =
		"model A { // open\n  id Int @id\n} // x\nmodel B {\n  id Int @id\n}"
		" /* a */ // b\n\nenum E { /* e */\n  X\n} // last\n// more\n";

	A = fm_arena_create();
	FM_CHECK_STR(fmt_prisma(src),
				 "model A {\n  id Int @id\n}\n// x\nmodel B {\n  id Int @id\n}\n"
				 "/**\n * a\n */\n// b\n\nenum E {\n  X\n}\n// last\n// more\n");
	FM_CHECK_STR(fmt(src),
				 "model A { // open\n  id Int @id\n} // x\n\nmodel B {\n  id Int @id\n}"
				 " /* a */ // b\n\nenum E { /* e */\n  X\n} // last\n// more\n");
	fm_arena_destroy(A);
}

/*
 * String literals in Prisma's layout are kept as written (prisma format
 * keeps them), escapes and all; a literal without escapes is unchanged.
 */
static void
test_prisma_raw_strings(void)
{
	const char *src =
		"model A {\n  a String @default(\"caf\\u00e9 \\t \\/\") @map(\"x\\u0031\")\n"
		"  b String @default(\"\xC3\xA9\")\n  @@map(\"a\\\"b\")\n}\n";

	A = fm_arena_create();
	FM_CHECK_STR(fmt_prisma(src),
				 "model A {\n  a String @default(\"caf\\u00e9 \\t \\/\") @map(\"x\\u0031\")\n"
				 "  b String @default(\"\xC3\xA9\")\n\n  @@map(\"a\\\"b\")\n}\n");
	FM_CHECK_STR(fmt(src),
				 "model A {\n  a String @default(\"caf\xC3\xA9 \\t /\") @map(\"x1\")\n"
				 "  b String @default(\"\xC3\xA9\")\n\n  @@map(\"a\\\"b\")\n}\n");
	fm_arena_destroy(A);
}

static void
test_strings(void)
{
	A = fm_arena_create();
	CHECK_FORMAT("model A {\n  a String @default(\"\\/ \\u0041 \\b\\f\\r \\\"q\\\" \\\\ \\u00e9 \xC3\xA9 \\ud83d\\ude00 \\u0000\")\n}\n",
				 "model A {\n  a String @default(\"/ A \\u0008\\u000c\\r \\\"q\\\" \\\\ \xC3\xA9 \xC3\xA9 \xF0\x9F\x98\x80 \\u0000\")\n}\n");
	/* a raw tab inside a string is written as \t */
	CHECK_FORMAT("model A {\n  a String @default(\"a\tb\")\n}\n",
				 "model A {\n  a String @default(\"a\\tb\")\n}\n");
	fm_arena_destroy(A);
}

static void
test_syntax_errors(void)
{
	A = fm_arena_create();
	FM_CHECK(fmt("model A {\n  id Int $\n}\n") == NULL);
	FM_CHECK_INT(D.nerrors, 1);
	FM_CHECK(fmt("modle A {\n}\n") == NULL);
	FM_CHECK(fmt("model A {\n  id Int @default(\"x)\n}\n") == NULL);
	FM_CHECK(fmt("model A {") == NULL);
	/* semantic errors do not prevent formatting */
	FM_CHECK_STR(fmt("model A {\n  id Strin @foo(bar: baz)\n}\n"),
				 "model A {\n  id Strin @foo(bar: baz)\n}\n");
	fm_arena_destroy(A);
}

/* ---------- idempotence ---------- */

static const char *samples[] = {
	"datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n  schemas = [\"public\", \"auth\"]\n}\n",
	"/// users\nmodel User {\n  id Int @id @default(autoincrement()) // pk\n  email String @unique(map: \"u\")\n"
	"  profile Profile?\n  posts Post[] @relation(\"w\")\n  role Role @default(USER)\n"
	"  createdAt DateTime @default(now()) @map(\"created_at\") @db.Timestamptz(3)\n"
	"  updatedAt DateTime @updatedAt\n\n  @@map(\"users\")\n  @@schema(\"auth\")\n}\n",
	"model Post {\n  id String @id @default(uuid()) @db.Uuid\n"
	"  author User @relation(\"w\", fields: [a, b], references: [id, x], onDelete: Cascade, onUpdate: SetNull)\n"
	"  a Int\n  b Int\n  price Decimal @db.Decimal(10, 2) @default(-0.5)\n"
	"  geo Unsupported(\"geometry(Point, 4326)\")?\n"
	"  @@index([a, b(sort: Desc)], map: \"i\", type: Gin, where: \"price > 0\")\n"
	"  @@check(\"price > 0\", map: \"p\")\n  @@unique([a, b])\n  @@id([a, b], map: \"pk\")\n}\n",
	"enum Role {\n  USER\n  ADMIN @map(\"admin\") // a\n  /// doc\n  GUEST\n  @@map(\"roles\")\n  @@schema(\"auth\")\n}\n",
	"// c1\n\n// c2\nmodel A {\n  // only comments\n}\n// c3\n\n\n",
	"model A {\n  @@index([\n    a, // x\n    b\n  ])\n  x Int\n}\n",
	"generator g {\n  provider = \"x\"\n  previewFeatures = [\"a\", \"b\"]\n  flag = true\n}\n",
};

static unsigned int rng_state = 4242;

static unsigned int
rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

/* If text has no syntax errors: format twice and compare. */
static int
check_idempotent(const char *text, size_t len)
{
	FmDiagList	d1,
				d2;
	char	   *f1,
			   *f2;

	fm_diags_init(&d1, A);
	f1 = fm_format_schema(A, text, len, &d1);
	if (f1 == NULL)
		return 0;
	fm_diags_init(&d2, A);
	f2 = fm_format_schema(A, f1, strlen(f1), &d2);
	FM_CHECK(f2 != NULL);
	if (f2 && strcmp(f1, f2) != 0)
	{
		FM_CHECK_STR(f2, f1);
		fprintf(stderr, "--- input:\n%.*s\n", (int) len, text);
	}
	return 1;
}

/*
 * test_idempotence
 *		Formatting is idempotent on every sample, on all of them together,
 *		and on 600 random line-level mutations of that text (lines dropped,
 *		duplicated, moved, comments and blank lines inserted, spacing
 *		changed) that still parse.
 */
static void
test_idempotence(void)
{
	FmBuf		all;
	int			formatted = 0;

	A = fm_arena_create();
	fm_buf_init(&all, A);
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
	{
		FM_CHECK(check_idempotent(samples[i], strlen(samples[i])));
		fm_buf_append(&all, samples[i]);
	}
	FM_CHECK(check_idempotent(all.data, all.len));

	/*
	 * Mutations of the concatenated samples: delete, duplicate or swap
	 * lines, insert blank lines and comments, change spacing.  Many still
	 * parse; every one that does must format idempotently.
	 */
	for (int round = 0; round < 600; round++)
	{
		FmList		lines;
		FmBuf		out;
		char	   *copy = fm_strndup(A, all.data, all.len);
		char	   *line = copy;

		memset(&lines, 0, sizeof(lines));
		for (char *c = copy; *c; c++)
			if (*c == '\n')
			{
				*c = '\0';
				fm_list_append(A, &lines, line);
				line = c + 1;
			}
		fm_buf_init(&out, A);
		for (int i = 0; i < lines.n; i++)
		{
			const char *l = fm_list_get(&lines, i, char);
			unsigned int r = rng() % 40;

			switch (r)
			{
				case 0:			/* drop */
					continue;
				case 1:			/* duplicate */
					fm_buf_printf(&out, "%s\n", l);
					break;
				case 2:
					fm_buf_append(&out, "\n\n");
					break;
				case 3:
					fm_buf_append(&out, "  // inserted\n");
					break;
				case 4:
					fm_buf_append(&out, "/// inserted doc\n");
					break;
				case 5:			/* line from elsewhere */
					l = fm_list_get(&lines, (int) (rng() % (unsigned) lines.n), char);
					break;
				case 6:			/* comment at the end of the line */
					fm_buf_printf(&out, "%s // t%d\n", l, i);
					continue;
				case 7:			/* spaces everywhere */
					for (const char *c = l; *c; c++)
					{
						fm_buf_append_char(&out, *c);
						if (strchr("([,:=@?", *c) && c[1] != '@')
							fm_buf_append_char(&out, ' ');
					}
					fm_buf_append_char(&out, '\n');
					continue;
				default:
					break;
			}
			fm_buf_printf(&out, "%s\n", l);
		}
		formatted += check_idempotent(out.data, out.len);
	}
	/* the mutations must exercise the formatter, not only the errors */
	FM_CHECK(formatted > 50);
	fm_arena_destroy(A);
}

FM_TEST_MAIN(FM_TEST(test_example),
			 FM_TEST(test_layout_details),
			 FM_TEST(test_comments),
			 FM_TEST(test_prisma_layout),
			 FM_TEST(test_prisma_block_line_comments),
			 FM_TEST(test_prisma_raw_strings),
			 FM_TEST(test_strings),
			 FM_TEST(test_syntax_errors),
			 FM_TEST(test_idempotence))
