/*-------------------------------------------------------------------------
 *
 * test_parser.c
 *	  Unit tests for the schema-language lexer and parser (src/core/lexer.c,
 *	  src/core/parser.c): every construct, positions, comments, syntax
 *	  errors with recovery, and robustness on hostile input.
 *
 * test/unit/test_parser.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_ast.h"
#include "fm_test.h"

static FmArena *A;
static FmDiagList D;

static FmAstSchema *
parse_len(const char *text, size_t len)
{
	fm_diags_init(&D, A);
	return fm_ast_parse(A, text, len, &D);
}

static FmAstSchema *
parse(const char *text)
{
	return parse_len(text, strlen(text));
}

/* all diagnostics of text, sorted, as "L:C message\n" lines */
static const char *
errors_len(const char *text, size_t len)
{
	FmBuf		b;

	parse_len(text, len);
	fm_diags_sort(&D);
	fm_buf_init(&b, A);
	for (int i = 0; i < D.items.n; i++)
	{
		FmDiag	   *d = fm_list_get(&D.items, i, FmDiag);

		fm_buf_printf(&b, "%d:%d %s\n", d->pos.line, d->pos.col, d->message);
	}
	return b.data;
}

static const char *
errors(const char *text)
{
	return errors_len(text, strlen(text));
}

#define BLOCK(s, i) fm_list_get(&(s)->blocks, (i), FmAstBlock)
#define FIELD(b, i) fm_list_get(&(b)->fields, (i), FmAstField)
#define ATTR(l, i) fm_list_get((l), (i), FmAstAttribute)
#define ARG(l, i) fm_list_get((l), (i), FmAstArg)
#define ITEM(v, i) fm_list_get(&(v)->items, (i), FmAstValue)
#define LINE(l, i) fm_list_get((l), (i), char)

static const char *example =
"// Example schema\n"
"datasource db {\n"
"  provider = \"postgresql\"\n"
"  url = env(\"DATABASE_URL\") // the url\n"
"  schemas = [\"public\", \"auth\"]\n"
"}\n"
"\n"
"generator client {\n"
"  provider = \"ferriorm-client\"\n"
"}\n"
"\n"
"/// A user\n"
"/// of the system\n"
"model User {\n"
"  id Int @id @default(autoincrement())\n"
"  email String @unique @db.VarChar(255)\n"
"  /// the display name\n"
"  name String?\n"
"  posts Post[]\n"
"  weird Unsupported(\"circle\")?\n"
"\n"
"  score Float @default(-1.5e3)\n"
"  @@map(\"users\")\n"
"  // index comment\n"
"  @@index([email, name(sort: Desc)], map: \"x\", type: Gin, where: \"x > 0\")\n"
"}\n"
"model Post {\n"
"  author User @relation(\"Author\", fields: [authorId], references: [id], onDelete: Cascade)\n"
"  title String @default(\"a \\\"q\\\" \\\\ \\u00e9\\n\\t\\/ \\ud83d\\ude00\")\n"
"  // closing comment\n"
"} // end post\n"
"\n"
"enum Role {\n"
"  USER\n"
"  ADMIN @map(\"admin\")\n"
"  @@map(\"roles\")\n"
"  @@schema(\"auth\")\n"
"}\n"
"// trailing file comment\n";

static void
test_empty_inputs(void)
{
	FmAstSchema *s;

	A = fm_arena_create();
	s = parse("");
	FM_CHECK_INT(s->blocks.n, 0);
	FM_CHECK_INT(s->nerrors, 0);
	FM_CHECK_INT(D.items.n, 0);
	s = parse_len(NULL, 0);
	FM_CHECK_INT(s->blocks.n, 0);
	FM_CHECK_INT(D.items.n, 0);
	s = parse(" \n\t\r\n  \n");
	FM_CHECK_INT(s->blocks.n, 0);
	FM_CHECK_INT(D.items.n, 0);
	s = parse("// just a comment\n\n/// doc\n");
	FM_CHECK_INT(s->blocks.n, 0);
	FM_CHECK_INT(s->trailing_comments.n, 3);
	FM_CHECK_STR(LINE(&s->trailing_comments, 0), "// just a comment");
	FM_CHECK_STR(LINE(&s->trailing_comments, 1), "");
	FM_CHECK_STR(LINE(&s->trailing_comments, 2), "/// doc");
	/* a byte order mark is skipped and not counted */
	FM_CHECK_STR(errors("\xEF\xBB\xBFmodel A {\n  $\n}"),
				 "2:3 unexpected character \"$\"\n");
	fm_arena_destroy(A);
}

/*
 * The syntax tree of a complete example schema, node by node: datasource
 * and generator settings, models with fields, types, optional and list
 * markers, attributes and their arguments, member order, comments and doc
 * comments, string escapes, and an enum.
 */
static void
test_example_structure(void)
{
	FmAstSchema *s;
	FmAstBlock *b;
	FmAstField *f;
	FmAstAttribute *a;
	FmAstValue *v;

	A = fm_arena_create();
	s = parse(example);
	FM_CHECK_STR(errors(example), "");
	FM_CHECK_INT(s->nerrors, 0);
	FM_CHECK_INT(s->blocks.n, 5);

	/* datasource */
	b = BLOCK(s, 0);
	FM_CHECK_INT(b->kind, FM_BLOCK_DATASOURCE);
	FM_CHECK_STR(b->keyword, "datasource");
	FM_CHECK_STR(b->name, "db");
	FM_CHECK_INT(b->pos.line, 2);
	FM_CHECK_INT(b->pos.col, 1);
	FM_CHECK_INT(b->name_pos.col, 12);
	FM_CHECK_INT(b->end_pos.line, 6);
	FM_CHECK_INT(b->comments.leading.n, 1);
	FM_CHECK_STR(LINE(&b->comments.leading, 0), "// Example schema");
	FM_CHECK(b->comments.doc == NULL);
	FM_CHECK_INT(b->fields.n, 3);
	f = FIELD(b, 0);
	FM_CHECK_STR(f->name, "provider");
	FM_CHECK(f->type_name == NULL);
	FM_CHECK_INT(f->value->kind, FM_VAL_STRING);
	FM_CHECK_STR(f->value->text, "postgresql");
	FM_CHECK_INT(f->value->pos.line, 3);
	FM_CHECK_INT(f->value->pos.col, 14);
	f = FIELD(b, 1);
	FM_CHECK_STR(f->name, "url");
	FM_CHECK_INT(f->value->kind, FM_VAL_CALL);
	FM_CHECK_STR(f->value->text, "env");
	FM_CHECK_INT(f->value->args.n, 1);
	FM_CHECK_STR(ARG(&f->value->args, 0)->value->text, "DATABASE_URL");
	FM_CHECK_STR(FM_AST_COMMENTS(f)->trailing, "// the url");
	f = FIELD(b, 2);
	FM_CHECK_INT(f->value->kind, FM_VAL_ARRAY);
	FM_CHECK_INT(f->value->items.n, 2);
	FM_CHECK_STR(ITEM(f->value, 1)->text, "auth");

	FM_CHECK_INT(BLOCK(s, 1)->kind, FM_BLOCK_GENERATOR);
	FM_CHECK_INT(BLOCK(s, 1)->comments.blank_lines_before, 1);

	/* model User */
	b = BLOCK(s, 2);
	FM_CHECK_INT(b->kind, FM_BLOCK_MODEL);
	FM_CHECK_STR(b->name, "User");
	FM_CHECK_STR(b->comments.doc, "A user\nof the system");
	FM_CHECK_INT(b->fields.n, 6);
	FM_CHECK_INT(b->attrs.n, 2);
	FM_CHECK_INT(b->members.n, 8);
	f = FIELD(b, 0);
	FM_CHECK_STR(f->name, "id");
	FM_CHECK_INT(f->pos.line, 15);
	FM_CHECK_INT(f->pos.col, 3);
	FM_CHECK_STR(f->type_name, "Int");
	FM_CHECK_INT(f->type_pos.col, 6);
	FM_CHECK(!f->optional && !f->list);
	FM_CHECK_INT(f->attrs.n, 2);
	a = ATTR(&f->attrs, 0);
	FM_CHECK_STR(a->name, "id");
	FM_CHECK(!a->block && !a->has_parens);
	FM_CHECK_INT(a->pos.col, 10);
	a = ATTR(&f->attrs, 1);
	FM_CHECK_STR(a->name, "default");
	FM_CHECK(a->has_parens);
	FM_CHECK_INT(a->args.n, 1);
	v = ARG(&a->args, 0)->value;
	FM_CHECK_INT(v->kind, FM_VAL_CALL);
	FM_CHECK_STR(v->text, "autoincrement");
	FM_CHECK_INT(v->args.n, 0);
	FM_CHECK_INT(v->pos.col, 23);

	f = FIELD(b, 1);
	a = ATTR(&f->attrs, 1);
	FM_CHECK_STR(a->name, "db.VarChar");
	FM_CHECK_INT(ARG(&a->args, 0)->value->kind, FM_VAL_NUMBER);
	FM_CHECK_STR(ARG(&a->args, 0)->value->text, "255");

	f = FIELD(b, 2);
	FM_CHECK_STR(f->name, "name");
	FM_CHECK(f->optional);
	FM_CHECK_STR(FM_AST_COMMENTS(f)->doc, "the display name");
	FM_CHECK_INT(FM_AST_COMMENTS(f)->leading.n, 1);
	FM_CHECK_INT(f->attrs.n, 0);

	f = FIELD(b, 3);
	FM_CHECK(f->list && !f->optional);
	FM_CHECK_STR(f->type_name, "Post");

	f = FIELD(b, 4);
	FM_CHECK_STR(f->type_name, "Unsupported");
	FM_CHECK(f->type_has_parens);
	FM_CHECK_INT(FM_AST_TYPE_NARGS(f), 1);
	FM_CHECK_STR(ARG(f->type_args, 0)->value->text, "circle");
	FM_CHECK(f->optional);

	f = FIELD(b, 5);
	FM_CHECK_INT(FM_AST_COMMENTS(f)->blank_lines_before, 1);
	FM_CHECK_STR(ARG(&ATTR(&f->attrs, 0)->args, 0)->value->text, "-1.5e3");

	a = ATTR(&b->attrs, 0);
	FM_CHECK(a->block);
	FM_CHECK_STR(a->name, "map");
	FM_CHECK_INT(a->pos.line, 23);
	FM_CHECK_INT(a->pos.col, 3);
	a = ATTR(&b->attrs, 1);
	FM_CHECK_STR(a->name, "index");
	FM_CHECK_INT(a->args.n, 4);
	v = ARG(&a->args, 0)->value;
	FM_CHECK(ARG(&a->args, 0)->name == NULL);
	FM_CHECK_INT(v->kind, FM_VAL_ARRAY);
	FM_CHECK_INT(v->items.n, 2);
	FM_CHECK_INT(ITEM(v, 0)->kind, FM_VAL_IDENT);
	FM_CHECK_INT(ITEM(v, 1)->kind, FM_VAL_CALL);
	FM_CHECK_STR(ITEM(v, 1)->text, "name");
	FM_CHECK_STR(ARG(&ITEM(v, 1)->args, 0)->name, "sort");
	FM_CHECK_STR(ARG(&ITEM(v, 1)->args, 0)->value->text, "Desc");
	FM_CHECK_STR(ARG(&a->args, 1)->name, "map");
	FM_CHECK_INT(ARG(&a->args, 1)->pos.col, 38);
	FM_CHECK_STR(ARG(&a->args, 2)->name, "type");
	FM_CHECK_INT(ARG(&a->args, 2)->value->kind, FM_VAL_IDENT);
	FM_CHECK_STR(ARG(&a->args, 3)->value->text, "x > 0");
	/* member order and the comment of the second block attribute */
	FM_CHECK(fm_list_get(&b->members, 5, FmAstMember)->field != NULL);
	FM_CHECK(fm_list_get(&b->members, 6, FmAstMember)->attr != NULL);
	FM_CHECK_INT(fm_list_get(&b->members, 7, FmAstMember)->comments->leading.n, 1);
	FM_CHECK_STR(LINE(&fm_list_get(&b->members, 7, FmAstMember)->comments->leading, 0),
				 "// index comment");

	/* model Post: relation arguments, string escapes, comments */
	b = BLOCK(s, 3);
	FM_CHECK_INT(b->comments.blank_lines_before, 0);
	f = FIELD(b, 0);
	a = ATTR(&f->attrs, 0);
	FM_CHECK_STR(a->name, "relation");
	FM_CHECK_INT(a->args.n, 4);
	FM_CHECK(ARG(&a->args, 0)->name == NULL);
	FM_CHECK_STR(ARG(&a->args, 0)->value->text, "Author");
	FM_CHECK_STR(ARG(&a->args, 1)->name, "fields");
	FM_CHECK_STR(ITEM(ARG(&a->args, 1)->value, 0)->text, "authorId");
	FM_CHECK_STR(ARG(&a->args, 3)->name, "onDelete");
	FM_CHECK_STR(ARG(&a->args, 3)->value->text, "Cascade");
	f = FIELD(b, 1);
	v = ARG(&ATTR(&f->attrs, 0)->args, 0)->value;
	FM_CHECK_STR(v->text, "a \"q\" \\ \xC3\xA9\n\t/ \xF0\x9F\x98\x80");
	FM_CHECK_INT(v->text_len, strlen("a \"q\" \\ \xC3\xA9\n\t/ \xF0\x9F\x98\x80"));
	FM_CHECK_INT(b->trailing_comments.n, 1);
	FM_CHECK_STR(LINE(&b->trailing_comments, 0), "// closing comment");
	FM_CHECK_STR(b->end_comment, "// end post");

	/* enum */
	b = BLOCK(s, 4);
	FM_CHECK_INT(b->kind, FM_BLOCK_ENUM);
	FM_CHECK_INT(b->fields.n, 2);
	FM_CHECK(FIELD(b, 0)->type_name == NULL);
	FM_CHECK_STR(FIELD(b, 1)->name, "ADMIN");
	FM_CHECK_STR(ATTR(&FIELD(b, 1)->attrs, 0)->name, "map");
	FM_CHECK_INT(b->attrs.n, 2);
	FM_CHECK_STR(ATTR(&b->attrs, 1)->name, "schema");

	FM_CHECK_INT(s->trailing_comments.n, 1);
	FM_CHECK_STR(LINE(&s->trailing_comments, 0), "// trailing file comment");
	fm_arena_destroy(A);
}

/*
 * test_values_and_lexing
 *		Values of every kind (numbers, booleans, dotted names, nested calls,
 *		trailing commas, escapes, multi-line arguments), one-line blocks and
 *		CRLF line ends, keywords as field names, and where comments go:
 *		after "{", trailing (several after a block comment), leading, doc,
 *		after "}".
 */
static void
test_values_and_lexing(void)
{
	FmAstSchema *s;
	FmAstField *f;
	FmAstValue *v;

	A = fm_arena_create();
	/* numbers, booleans, dotted identifiers, nested calls, trailing commas */
	s = parse("generator g {\n"
			  "  a = -0.5\n"
			  "  b = 1e5\n"
			  "  c = true\n"
			  "  d = a.b\n"
			  "  e = f(1, g(x: [1, 2,], y: \"s\"),)\n"
			  "  f = []\n"
			  "}\n");
	FM_CHECK_INT(D.items.n, 0);
	f = FIELD(BLOCK(s, 0), 0);
	FM_CHECK_INT(f->value->kind, FM_VAL_NUMBER);
	FM_CHECK_STR(f->value->text, "-0.5");
	FM_CHECK_STR(FIELD(BLOCK(s, 0), 1)->value->text, "1e5");
	FM_CHECK_INT(FIELD(BLOCK(s, 0), 2)->value->kind, FM_VAL_IDENT);
	FM_CHECK_STR(FIELD(BLOCK(s, 0), 3)->value->text, "a.b");
	v = FIELD(BLOCK(s, 0), 4)->value;
	FM_CHECK_INT(v->kind, FM_VAL_CALL);
	FM_CHECK_INT(v->args.n, 2);
	v = ARG(&v->args, 1)->value;
	FM_CHECK_STR(v->text, "g");
	FM_CHECK_INT(ARG(&v->args, 0)->value->items.n, 2);
	FM_CHECK_STR(ARG(&v->args, 1)->name, "y");
	FM_CHECK_INT(FIELD(BLOCK(s, 0), 5)->value->items.n, 0);

	/* \u0000 is kept, with its length */
	s = parse("model A {\n  a String @default(\"x\\u0000y\")\n}\n");
	FM_CHECK_INT(D.items.n, 0);
	v = ARG(&ATTR(&FIELD(BLOCK(s, 0), 0)->attrs, 0)->args, 0)->value;
	FM_CHECK_INT(v->text_len, 3);
	FM_CHECK(memcmp(v->text, "x\0y", 3) == 0);

	/* multi-line arguments; comments inside move to the member */
	s = parse("model A {\n"
			  "  id Int @id\n"
			  "  @@index([\n"
			  "    a, // first\n"
			  "    b\n"
			  "  ], map: \"m\")\n"
			  "}\n");
	FM_CHECK_INT(D.items.n, 0);
	{
		FmAstMember *m = fm_list_get(&BLOCK(s, 0)->members, 1, FmAstMember);

		FM_CHECK_INT(m->attr->args.n, 2);
		FM_CHECK_INT(m->comments->leading.n, 1);
		FM_CHECK_STR(LINE(&m->comments->leading, 0), "// first");
	}

	/* one-line blocks, brace on the next line, CRLF line ends */
	s = parse("model A { id Int @id }\nenum E\n{\r\n  X\r\n}\r\n");
	FM_CHECK_INT(D.items.n, 0);
	FM_CHECK_INT(s->blocks.n, 2);
	FM_CHECK_INT(FIELD(BLOCK(s, 0), 0)->attrs.n, 1);
	FM_CHECK_STR(FIELD(BLOCK(s, 1), 0)->name, "X");
	FM_CHECK_INT(FIELD(BLOCK(s, 1), 0)->pos.line, 4);

	/* a lone CR ends a line, as in Prisma's grammar; a comment too */
	s = parse("model A {\r  id Int @id // x\r  b  Int\r\r}\renum E {\r\n  X\r}\r");
	FM_CHECK_INT(D.items.n, 0);
	FM_CHECK_INT(s->blocks.n, 2);
	FM_CHECK_INT(BLOCK(s, 0)->fields.n, 2);
	FM_CHECK_STR(FIELD(BLOCK(s, 0), 0)->comments ? FIELD(BLOCK(s, 0), 0)->comments->trailing : NULL, "// x");
	FM_CHECK_INT(FIELD(BLOCK(s, 0), 1)->pos.line, 3);
	FM_CHECK_INT(FIELD(BLOCK(s, 1), 0)->pos.line, 7);

	/* a field may be named like a keyword */
	s = parse("model A {\n  model String\n  enum Int\n}\n");
	FM_CHECK_INT(D.items.n, 0);
	FM_CHECK_INT(BLOCK(s, 0)->fields.n, 2);

	/* comment placement: after '{', trailing, blank lines, doc */
	s = parse("model A { // open\n"
			  "  // lead 1\n"
			  "\n"
			  "  // lead 2\n"
			  "  /// doc 1\n"
			  "  id Int /// doc 2\n"
			  "\n"
			  "  // before close\n"
			  "}\n");
	FM_CHECK_INT(D.items.n, 0);
	FM_CHECK_STR(BLOCK(s, 0)->comments.trailing, "// open");
	f = FIELD(BLOCK(s, 0), 0);
	FM_CHECK_INT(FM_AST_COMMENTS(f)->leading.n, 4);
	FM_CHECK_STR(LINE(&FM_AST_COMMENTS(f)->leading, 1), "");
	FM_CHECK_STR(FM_AST_COMMENTS(f)->doc, "doc 1\ndoc 2");
	FM_CHECK_STR(FM_AST_COMMENTS(f)->trailing, "/// doc 2");
	FM_CHECK_INT(BLOCK(s, 0)->trailing_comments.n, 2);
	FM_CHECK_STR(LINE(&BLOCK(s, 0)->trailing_comments, 0), "");

	/* a doc comment separated by a blank line is not documentation */
	s = parse("/// lost\n\nmodel A {\n  id Int\n}\n");
	FM_CHECK(BLOCK(s, 0)->comments.doc == NULL);
	FM_CHECK_INT(BLOCK(s, 0)->comments.leading.n, 2);

	/*
	 * several comments on one line after an element (a block comment
	 * first): one trailing comment, as Prisma accepts them
	 */
	s = parse("model A { /* a */ // open\n"
			  "  id Int @id /* k */ // a // b\n"
			  "  x  Int /* c */ /// doc\n"
			  "  y  Int /* c */ /* d */\n"
			  "} /* e */ // end\n");
	FM_CHECK_INT(D.items.n, 0);
	FM_CHECK_STR(BLOCK(s, 0)->comments.trailing, "/* a */ // open");
	FM_CHECK_STR(FM_AST_COMMENTS(FIELD(BLOCK(s, 0), 0))->trailing, "/* k */ // a // b");
	FM_CHECK_STR(FM_AST_COMMENTS(FIELD(BLOCK(s, 0), 1))->trailing, "/* c */ /// doc");
	FM_CHECK_STR(FM_AST_COMMENTS(FIELD(BLOCK(s, 0), 1))->doc, "doc");
	FM_CHECK_STR(FM_AST_COMMENTS(FIELD(BLOCK(s, 0), 2))->trailing, "/* c */ /* d */");
	FM_CHECK_INT(BLOCK(s, 0)->fields.n, 3);
	FM_CHECK_STR(BLOCK(s, 0)->end_comment, "/* e */ // end");
	FM_CHECK_INT(s->trailing_comments.n, 0);
	fm_arena_destroy(A);
}

static void
test_positions_in_characters(void)
{
	A = fm_arena_create();
	/* columns count code points, not bytes */
	FM_CHECK_STR(errors("model A {\n  a String @default(\"\xC3\xA9\xC3\xA9\xF0\x9F\x98\x80\") $\n}\n"),
				 "2:28 unexpected character \"$\"\n");
	FM_CHECK_STR(errors("// \xC3\xA9\xC3\xA9\nmodel A {\n  \xC3\xA9 Int $\n}\n"),
				 "3:9 unexpected character \"$\"\n");
	FM_CHECK_STR(errors("model A {\n  na\xC3\xAFve\xE5\x90\x8D Int \xE2\x82\xAC\n}\n"),
				 "2:14 unexpected character \"\xE2\x82\xAC\"\n");
	/* tabs count as one column */
	FM_CHECK_STR(errors("model A {\n\tid\tInt\t#\n}\n"),
				 "2:9 unexpected character \"#\"\n");
	fm_arena_destroy(A);
}

/* the field names of the first block of text, one a line */
static const char *
field_names(const char *text)
{
	FmAstSchema *s = parse(text);
	FmBuf		b;

	fm_buf_init(&b, A);
	if (s->blocks.n > 0)
		for (int i = 0; i < BLOCK(s, 0)->fields.n; i++)
			fm_buf_printf(&b, "%s\n", FIELD(BLOCK(s, 0), i)->name);
	return b.data;
}

static void
test_unicode_identifiers(void)
{
	FmAstSchema *s;

	A = fm_arena_create();
	/* Unicode letters (Prisma's grammar: general category L) anywhere */
	s = parse("model Caf\xC3\xA9 {\n  \xC3\xA9t\xC3\xA9 Int\n}\n"
			  "enum Gr\xC3\xB6\xC3\x9F" "e {\n  gro\xC3\x9F\n}\n");
	FM_CHECK_STR(errors("model Caf\xC3\xA9 {\n  \xC3\xA9t\xC3\xA9 Int\n}\n"), "");
	FM_CHECK_STR(BLOCK(s, 0)->name, "Caf\xC3\xA9");
	FM_CHECK_STR(BLOCK(s, 1)->name, "Gr\xC3\xB6\xC3\x9F" "e");
	FM_CHECK_STR(FIELD(BLOCK(s, 1), 0)->name, "gro\xC3\x9F");
	/* CJK (Lo), a modifier letter (Lm), a title-case letter (Lt), astral */
	FM_CHECK_STR(field_names("model A {\n  \xE5\x90\x8D\xE5\x89\x8D Int\n  x\xCA\xB0 Int\n"
							 "  \xC7\x85x Int\n  \xF0\xA0\x80\x80_1 Int\n}\n"),
				 "\xE5\x90\x8D\xE5\x89\x8D\nx\xCA\xB0\n\xC7\x85x\n\xF0\xA0\x80\x80_1\n");
	/* not letters: a combining mark (Mn), a non-ASCII digit (Nd), a letter
	 * number (Nl), an emoji, the middle dot; each ends the name */
	FM_CHECK_STR(errors("model A {\n  e\xCC\x81 Int\n}\n"),
				 "2:4 unexpected character \"\xCC\x81\"\n");
	FM_CHECK_STR(errors("model A {\n  x\xD9\xA3 Int\n}\n"),
				 "2:4 unexpected character \"\xD9\xA3\"\n");
	FM_CHECK_STR(errors("model A {\n  \xE2\x85\xAB Int\n}\n"),
				 "2:3 unexpected character \"\xE2\x85\xAB\"\n"
				 "2:8 expected a type for field \"Int\" in model \"A\", found end of line\n");
	FM_CHECK_STR(errors("model A {\n  x\xF0\x9F\x98\x80 Int\n}\n"),
				 "2:4 unexpected character \"\xF0\x9F\x98\x80\"\n");
	FM_CHECK_STR(errors("model A {\n  x\xC2\xB7y Int\n}\n"),
				 "2:4 unexpected character \"\xC2\xB7\"\n"
				 "2:7 expected a new line after field \"x\" in model \"A\", found \"Int\"\n");
	/* invalid UTF-8 after letters ends the name and is reported */
	FM_CHECK_STR(errors("model A {\n  \xC3\xA9\xC3 Int\n}\n"),
				 "2:4 invalid UTF-8 byte sequence\n");
	/* space separators (Zs) are white space, as in Prisma */
	FM_CHECK_STR(field_names("model A {\n  a\xC2\xA0Int\n  \xE3\x80\x80" "b\xE2\x80\x83Int\n}\n"),
				 "a\nb\n");
	FM_CHECK_STR(errors("model A {\n  a\xC2\xA0Int\xE3\x80\x80$\n}\n"),
				 "2:9 unexpected character \"$\"\n");
	fm_arena_destroy(A);
}

static void
test_error_messages(void)
{
	A = fm_arena_create();
	FM_CHECK_STR(errors("modle User {\n  id Int\n}\n"),
				 "1:1 unknown block type \"modle\"; did you mean \"model\"?\n");
	FM_CHECK_STR(errors("Enum Role {\n  A\n}\n"),
				 "1:1 unknown block type \"Enum\"; did you mean \"enum\"?\n");
	FM_CHECK_STR(errors("table User {\n  id Int\n}\n"),
				 "1:1 unknown block type \"table\"; expected \"model\", \"enum\", \"datasource\" or \"generator\"\n");
	FM_CHECK_STR(errors("model User {\n  id Int @id\n"),
				 "3:1 expected \"}\" to close model \"User\", opened on line 1\n");
	FM_CHECK_STR(errors("model User {\n  id Int @id\nmodel Post {\n  id Int\n}\n"),
				 "3:1 expected \"}\" to close model \"User\", opened on line 1, before model \"Post\"\n");
	FM_CHECK_STR(errors("model User {\n  name String @default(\"abc)\n}\n"),
				 "2:24 unterminated string literal\n"
				 "3:1 expected \")\" to close the arguments of attribute \"@default\", found \"}\"\n");
	FM_CHECK_STR(errors("model User {\n  id Int $\n}\n"),
				 "2:10 unexpected character \"$\"\n");
	FM_CHECK_STR(errors("model User {\n  id Int\x01\n}\n"),
				 "2:9 unexpected control character U+0001\n");
	FM_CHECK_STR(errors("model User {\n  id Int @id\xff\xfe\n}\n"),
				 "2:13 invalid UTF-8 byte sequence\n");
	FM_CHECK_STR(errors_len("model User {\n  id Int @id\0\n}\n", 29),
				 "2:13 NUL byte in schema text\n");
	FM_CHECK_STR(errors("model A {\n  id Int @id\n  @@index([a], map: \"x\", map: \"y\")\n}\n"),
				 "3:26 duplicate argument \"map\" in attribute \"@@index\"\n");
	FM_CHECK_STR(errors("model A {\n  id Int @default(f(a: 1, a: 2))\n}\n"),
				 "2:27 duplicate argument \"a\" in function \"f\"\n");
	FM_CHECK_STR(errors("model A {\n  email\n}\n"),
				 "2:8 expected a type for field \"email\" in model \"A\", found end of line\n");
	FM_CHECK_STR(errors("model A {\n  email = 1\n}\n"),
				 "2:9 unexpected \"=\" after \"email\" in model \"A\"; a field is written as \"name Type\"\n");
	FM_CHECK_STR(errors("model A {\n  a Int b Int\n}\n"),
				 "2:9 expected a new line after field \"a\" in model \"A\", found \"b\"\n");
	FM_CHECK_STR(errors("model A {\n  a Int[\n}\n"),
				 "2:9 expected \"]\" after \"[\" in the type of field \"a\", found end of line\n");
	FM_CHECK_STR(errors("model A {\n  a Int @\n}\n"),
				 "2:10 expected an attribute name after \"@\", found end of line\n");
	FM_CHECK_STR(errors("model A {\n  a Int @db.\n}\n"),
				 "2:13 expected a name after \".\" in attribute \"@db\", found end of line\n");
	FM_CHECK_STR(errors("model A {\n  a Int @default(1 2)\n}\n"),
				 "2:20 expected \",\" or \")\" in the arguments of attribute \"@default\", found \"2\"\n");
	FM_CHECK_STR(errors("model A {\n  a Int @default(,)\n}\n"),
				 "2:18 expected a value, found \",\"\n");
	FM_CHECK_STR(errors("model A {\n  @@index([a b])\n}\n"),
				 "2:14 expected \",\" or \"]\" in the list, found \"b\"\n");
	FM_CHECK_STR(errors("model A {\n  @id\n}\n"),
				 "2:3 expected a field name in model \"A\", found \"@\"; a block attribute starts with \"@@\"\n");
	FM_CHECK_STR(errors("model A {\n  (x)\n}\n"),
				 "2:3 expected a field name in model \"A\", found \"(\"\n");
	FM_CHECK_STR(errors("model {\n  id Int\n}\n"),
				 "1:7 expected a name after \"model\", found \"{\"\n");
	FM_CHECK_STR(errors("model A B {\n}\n"),
				 "1:9 expected \"{\" after model \"A\", found \"B\"\n");
	FM_CHECK_STR(errors("enum E {\n  A B\n  C = 1\n}\n"),
				 "2:5 expected a new line after value \"A\" in enum \"E\", found \"B\"\n"
				 "3:5 unexpected \"=\" after \"C\" in enum \"E\"; an enum value is a name on its own line\n");
	FM_CHECK_STR(errors("datasource db {\n  provider \"postgresql\"\n  url =\n  @@map(\"x\")\n}\n"),
				 "2:12 expected \"=\" after \"provider\" in datasource \"db\", found a string\n"
				 "3:8 expected a value after \"url =\" in datasource \"db\"\n"
				 "4:3 block attributes are not allowed in datasource \"db\"\n");
	FM_CHECK_STR(errors("}\n"), "1:1 unexpected \"}\" outside of a block\n");
	FM_CHECK_STR(errors("\"x\" model\n"),
				 "1:1 expected a block such as \"model\" or \"enum\", found a string\n");
	FM_CHECK_STR(errors("model A {\n  a String @default(\"\\q\")\n}\n"),
				 "2:22 invalid escape sequence \"\\q\" in string literal\n");
	FM_CHECK_STR(errors("model A {\n  a String @default(\"\\u12\")\n}\n"),
				 "2:22 invalid unicode escape in string literal; expected 4 hex digits after \"\\u\"\n");
	FM_CHECK_STR(errors("model A {\n  a String @default(\"\\ud800x\")\n}\n"),
				 "2:22 invalid unicode escape \"\\uD800\" in string literal; a surrogate must be part of a pair\n");
	/* UTF-8 encoded surrogates and overlong forms are invalid */
	FM_CHECK_STR(errors("// \xED\xA0\x80 \xC0\xAF\n"),
				 "1:4 invalid UTF-8 byte sequence\n"
				 "1:8 invalid UTF-8 byte sequence\n");
	fm_arena_destroy(A);
}

static void
test_recovery(void)
{
	const char *text =
		"modle User {\n"			/* 1 */
		"  id Int @id\n"
		"}\n"
		"model A {\n"				/* 4 */
		"  x\n"
		"  y Int @default(now()\n"
		"  z Int $\n"
		"  ok Int @id\n"
		"}\n"
		"enum E {\n"				/* 10 */
		"  A = 1\n"
		"  B\n"
		"}\n"
		"datasource db {\n"		/* 14 */
		"  provider \"x\"\n"
		"  url = env(\n"
		"}\n"
		"model B {\n"				/* 18 */
		"  id Int @id\n";
	FmAstSchema *s;

	A = fm_arena_create();
	FM_CHECK_STR(errors(text),
				 "1:1 unknown block type \"modle\"; did you mean \"model\"?\n"
				 "5:4 expected a type for field \"x\" in model \"A\", found end of line\n"
				 "7:3 expected \")\" to close the arguments of attribute \"@default\", found \"z\"\n"
				 "7:9 unexpected character \"$\"\n"
				 "11:5 unexpected \"=\" after \"A\" in enum \"E\"; an enum value is a name on its own line\n"
				 "15:12 expected \"=\" after \"provider\" in datasource \"db\", found a string\n"
				 "17:1 expected \")\" to close the arguments of function \"env\", found \"}\"\n"
				 "20:1 expected \"}\" to close model \"B\", opened on line 18\n");
	s = parse(text);
	FM_CHECK_INT(s->nerrors, 8);
	/* what could be parsed is kept */
	FM_CHECK_INT(s->blocks.n, 5);
	FM_CHECK_INT(BLOCK(s, 0)->kind, FM_BLOCK_UNKNOWN);
	FM_CHECK_STR(BLOCK(s, 1)->name, "A");
	FM_CHECK_INT(BLOCK(s, 1)->fields.n, 3);	/* y, z, ok */
	FM_CHECK_STR(FIELD(BLOCK(s, 1), 2)->name, "ok");
	FM_CHECK_INT(BLOCK(s, 2)->fields.n, 1);	/* B */
	FM_CHECK_STR(BLOCK(s, 4)->name, "B");

	/* brackets left open before the next member */
	FM_CHECK_STR(errors("model A {\n  a Int @default(\n  b Int @id\n  c Int @x([1, 2\n  @@map(\"x\")\n}\n"),
				 "3:3 expected \")\" to close the arguments of attribute \"@default\", found \"b\"\n"
				 "5:3 expected \"]\" to close the list, found \"@@\"\n");
	s = parse("model A {\n  a Int @default(\n  b Int @id\n  c Int @x([1, 2\n  @@map(\"x\")\n}\n");
	FM_CHECK_INT(BLOCK(s, 0)->fields.n, 3);
	FM_CHECK_INT(BLOCK(s, 0)->attrs.n, 1);

	/* a missing "{" with members below: the members are still parsed */
	FM_CHECK_STR(errors("model A\n  id Int @id\n  x Int\n}\nmodel B {\n  id Int\n}\n"),
				 "1:8 expected \"{\" after model \"A\", found end of line\n");
	s = parse("model A\n  id Int @id\n  x Int\n}\n");
	FM_CHECK_INT(BLOCK(s, 0)->fields.n, 2);
	fm_arena_destroy(A);
}

/* ---------- robustness ---------- */

static unsigned int rng_state = 12345;

static unsigned int
rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static void
check_capped(void)
{
	FM_CHECK(D.items.n <= 101);
	if (D.items.n == 101)
		FM_CHECK_STR(fm_list_get(&D.items, 100, FmDiag)->message,
					 "too many errors; stopping");
}

static void
test_garbage(void)
{
	size_t		n = 1 << 20;
	char	   *buf = malloc(n);
	FmAstSchema *s;

	A = fm_arena_create();
	for (int round = 0; round < 4; round++)
	{
		for (size_t i = 0; i < n; i++)
		{
			unsigned int r = rng();

			switch (round)
			{
				case 0:			/* bytes */
					buf[i] = (char) r;
					break;
				case 1:			/* token soup */
					buf[i] = "{}()[]@@.,:=?\"\n model x A 1 -/"[r % 31];
					break;
				case 2:			/* high bytes only */
					buf[i] = (char) (0x80 | (r & 0x7f));
					break;
				default:		/* NUL bytes */
					buf[i] = 0;
					break;
			}
		}
		s = parse_len(buf, n);
		FM_CHECK(s != NULL);
		FM_CHECK(D.nerrors > 0);
		check_capped();
	}
	/* many lines, each with an error: capped */
	{
		FmBuf		b;

		fm_buf_init(&b, A);
		fm_buf_append(&b, "model A {\n");
		for (int i = 0; i < 10000; i++)
			fm_buf_append(&b, "  x\n");
		fm_buf_append(&b, "}\n");
		parse(b.data);
		FM_CHECK_INT(D.items.n, 101);
		check_capped();
	}
	free(buf);
	fm_arena_destroy(A);
}

static void
test_deep_nesting(void)
{
	size_t		depth = 100000;
	FmBuf		b;

	A = fm_arena_create();
	/* brackets */
	fm_buf_init(&b, A);
	fm_buf_append(&b, "model A {\n  a Int @default(");
	for (size_t i = 0; i < depth; i++)
		fm_buf_append_char(&b, '[');
	for (size_t i = 0; i < depth; i++)
		fm_buf_append_char(&b, ']');
	fm_buf_append(&b, ")\n  b Int\n}\n");
	FM_CHECK_STR(errors(b.data),
				 "2:81 brackets nested too deeply (the limit is 64 levels)\n");
	/* function calls, unterminated */
	fm_buf_init(&b, A);
	fm_buf_append(&b, "model A {\n  a Int @default(");
	for (size_t i = 0; i < depth; i++)
		fm_buf_append(&b, "f(");
	FM_CHECK_STR(errors(b.data),
				 "2:145 brackets nested too deeply (the limit is 64 levels)\n"
				 "2:200018 expected \"}\" to close model \"A\", opened on line 1\n");
	/* one per line, in a datasource */
	fm_buf_init(&b, A);
	fm_buf_append(&b, "datasource d {\n  x = ");
	for (size_t i = 0; i < depth; i++)
		fm_buf_append(&b, "[\n");
	parse(b.data);
	FM_CHECK_INT(D.items.n, 2);
	/* braces */
	fm_buf_init(&b, A);
	for (size_t i = 0; i < depth; i++)
		fm_buf_append_char(&b, '{');
	parse(b.data);
	FM_CHECK_INT(D.items.n, 1);
	fm_buf_init(&b, A);
	for (size_t i = 0; i < depth; i++)
		fm_buf_append(&b, "model A {\n");
	parse(b.data);
	check_capped();
	/* exactly at the limit is fine */
	fm_buf_init(&b, A);
	fm_buf_append(&b, "generator g {\n  x = ");
	for (int i = 0; i < 64; i++)
		fm_buf_append_char(&b, '[');
	for (int i = 0; i < 64; i++)
		fm_buf_append_char(&b, ']');
	fm_buf_append(&b, "\n}\n");
	FM_CHECK_STR(errors(b.data), "");
	fm_arena_destroy(A);
}

static void
test_big_inputs(void)
{
	FmBuf		b;
	FmAstSchema *s;

	A = fm_arena_create();
	/* megabytes of valid text */
	fm_buf_init(&b, A);
	for (int i = 0; i < 20000; i++)
		fm_buf_printf(&b, "/// model %d\nmodel M%d {\n  id Int @id @default(autoincrement())\n"
					  "  name String? @db.VarChar(255) // c\n  @@index([name], map: \"i%d\")\n}\n\n",
					  i, i, i);
	FM_CHECK(b.len > 2000000);
	s = parse(b.data);
	FM_CHECK_INT(D.items.n, 0);
	FM_CHECK_INT(s->blocks.n, 20000);
	FM_CHECK_STR(BLOCK(s, 19999)->name, "M19999");
	FM_CHECK_INT(BLOCK(s, 19999)->pos.line, 19999 * 7 + 2);

	/* one huge identifier: messages stay short */
	fm_buf_init(&b, A);
	fm_buf_append(&b, "model A {\n  ");
	for (int i = 0; i < 1000000; i++)
		fm_buf_append_char(&b, 'x');
	fm_buf_append(&b, "\n}\n");
	parse(b.data);
	FM_CHECK_INT(D.items.n, 1);
	FM_CHECK(strlen(fm_list_get(&D.items, 0, FmDiag)->message) < 200);

	/* many arguments, all duplicates: reported (capped), in n log n */
	fm_buf_init(&b, A);
	fm_buf_append(&b, "model A {\n  @@index(");
	for (int i = 0; i < 200000; i++)
		fm_buf_append(&b, "map: 1, ");
	fm_buf_append(&b, ")\n}\n");
	parse(b.data);
	check_capped();
	FM_CHECK_INT(D.items.n, 101);

	/* one huge string and one huge comment */
	fm_buf_init(&b, A);
	fm_buf_append(&b, "model A {\n  a String @default(\"");
	for (int i = 0; i < 1000000; i++)
		fm_buf_append(&b, "\\n");
	fm_buf_append(&b, "\") //");
	for (int i = 0; i < 1000000; i++)
		fm_buf_append(&b, "c");
	fm_buf_append(&b, "\n}\n");
	s = parse(b.data);
	FM_CHECK_INT(D.items.n, 0);
	FM_CHECK_INT(ARG(&ATTR(&FIELD(BLOCK(s, 0), 0)->attrs, 0)->args, 0)->value->text_len, 1000000);
	fm_arena_destroy(A);
}

static void
test_unterminated(void)
{
	const char *cases[] = {
		"model", "model A", "model A {", "model A {\n  a", "model A {\n  a Int @",
		"model A {\n  a Int @default(", "model A {\n  a Int @default(\"", "\"",
		"model A {\n  a Int @default([1,", "//", "///", "@@", "model A {\n  a Int @db.",
		"datasource d {\n  x =", "datasource d {\n  x = f(a:", "enum E {\n  A @map(",
		"model A {\n  a Unsupported(", "model A {\n  a Int[",
	};

	A = fm_arena_create();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		size_t		len = strlen(cases[i]);

		/* every prefix of every case */
		for (size_t k = 0; k <= len; k++)
		{
			FmAstSchema *s = parse_len(cases[i], k);

			FM_CHECK(s != NULL);
			if (k == len && i != 9 && i != 10)
				FM_CHECK(s->nerrors > 0);
		}
	}
	FM_CHECK_STR(errors("model A {\n  a String @default(\"abc"),
				 "2:21 unterminated string literal\n"
				 "2:25 expected \")\" to close the arguments of attribute \"@default\", found end of input\n"
				 "2:25 expected \"}\" to close model \"A\", opened on line 1\n");
	fm_arena_destroy(A);
}

/* every list of the tree is an array of exactly its length (no slack) */
static void
check_exact(const FmList *l, int n)
{
	FM_CHECK_INT(l->n, n);
	FM_CHECK_INT(l->cap, n);
}

static void
test_exact_lists(void)
{
	const char *text =
		"model A {\n"
		"  a Int @id @default(f(1, 2, 3)) @db.X\n"
		"  b Int[] @default([1, 2, [3, 4, 5]])\n"
		"  c Unsupported(\"x\", \"y\", \"z\")\n"
		"  @@index([a, b(sort: Desc), c], where: { x: 1, y: 2, z: 3 })\n"
		"  @@map(\"a\")\n"
		"  @@schema(\"s\")\n"
		"  d Int @id @default(1) @x(\n"
		"}\n";

	A = fm_arena_create();
	for (int layout = 0; layout < 2; layout++)
	{
		FmAstSchema *s;
		FmAstBlock *b;
		FmAstField *f;
		FmAstAttribute *at;
		FmAstValue *v;

		fm_diags_init(&D, A);
		s = layout ? fm_ast_parse(A, text, strlen(text), &D) :
			fm_ast_parse_model(A, text, strlen(text), &D);
		FM_CHECK_INT(s->nerrors, 1);
		b = BLOCK(s, 0);
		check_exact(&b->fields, 4);
		check_exact(&b->attrs, 3);
		FM_CHECK_STR(FIELD(b, 3)->name, "d");
		FM_CHECK_STR(ATTR(&b->attrs, 2)->name, "schema");
		f = FIELD(b, 0);
		check_exact(&f->attrs, 3);
		FM_CHECK_STR(ATTR(&f->attrs, 2)->name, "db.X");
		v = ARG(&ATTR(&f->attrs, 1)->args, 0)->value;
		check_exact(&v->args, 3);
		FM_CHECK_STR(ARG(&v->args, 2)->value->text, "3");
		v = ARG(&ATTR(&FIELD(b, 1)->attrs, 0)->args, 0)->value;
		check_exact(&v->items, 3);
		check_exact(&ITEM(v, 2)->items, 3);
		FM_CHECK_STR(ITEM(ITEM(v, 2), 2)->text, "5");
		check_exact(FIELD(b, 2)->type_args, 3);
		FM_CHECK(FIELD(b, 0)->type_args == NULL);
		at = ATTR(&b->attrs, 0);
		check_exact(&at->args, 2);
		v = ARG(&at->args, 0)->value;
		check_exact(&v->items, 3);
		check_exact(&ITEM(v, 1)->args, 1);
		check_exact(&ARG(&at->args, 1)->value->args, 3);
		/* the attributes before one that fails are kept */
		check_exact(&FIELD(b, 3)->attrs, 2);
		FM_CHECK_INT(FIELD(b, 3)->attrs.n, 2);
	}
	fm_arena_destroy(A);
}

/*
 * A string, number or name takes less room than a list or call: the
 * union it does not use is not allocated (FM_AST_SCALAR_VALUE_SIZE).  A
 * list of 100000 numbers: 53 bytes per number in all (tokens, values and
 * the list), 70 with whole values.
 */
static void
test_scalar_value_size(void)
{
	FmBuf		b;
	FmAstSchema *s;
	FmArena    *tree;
	FmAstValue *v;
	int			n = 100000;

	A = fm_arena_create();
	fm_buf_init(&b, A);
	fm_buf_append(&b, "generator g {\n  a = [\"s\", x.y, f(1), [], {}");
	for (int i = 0; i < n; i++)
		fm_buf_append(&b, ",1");
	fm_buf_append(&b, "]\n}\n");
	tree = fm_arena_create();
	fm_diags_init(&D, A);
	s = fm_ast_parse_model(tree, b.data, b.len, &D);
	FM_CHECK_INT(s->nerrors, 0);
	FM_CHECK(FM_AST_SCALAR_VALUE_SIZE < sizeof(FmAstValue));
	FM_CHECK(fm_arena_bytes(tree) < (size_t) n * 62);
	v = FIELD(BLOCK(s, 0), 0)->value;
	FM_CHECK_INT(v->items.n, n + 5);
	FM_CHECK_STR(ITEM(v, 0)->text, "s");
	FM_CHECK_INT(ITEM(v, 1)->kind, FM_VAL_IDENT);
	FM_CHECK_STR(ITEM(v, 1)->text, "x.y");
	FM_CHECK_INT(ITEM(v, 2)->args.n, 1);
	FM_CHECK_INT(ITEM(v, 3)->items.n, 0);
	FM_CHECK_INT(ITEM(v, 4)->args.n, 0);
	FM_CHECK_STR(ITEM(v, n + 4)->text, "1");
	FM_CHECK_INT(ITEM(v, n + 4)->pos.col, ITEM(v, 5)->pos.col + 2 * (n - 1));
	fm_arena_destroy(tree);
	fm_arena_destroy(A);
}

FM_TEST_MAIN(FM_TEST(test_empty_inputs),
			 FM_TEST(test_example_structure),
			 FM_TEST(test_values_and_lexing),
			 FM_TEST(test_positions_in_characters),
			 FM_TEST(test_error_messages),
			 FM_TEST(test_recovery),
			 FM_TEST(test_garbage),
			 FM_TEST(test_deep_nesting),
			 FM_TEST(test_unicode_identifiers),
			 FM_TEST(test_big_inputs),
			 FM_TEST(test_unterminated),
			 FM_TEST(test_exact_lists),
			 FM_TEST(test_scalar_value_size))
