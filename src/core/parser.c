/*-------------------------------------------------------------------------
 *
 * parser.c
 *	  Recursive-descent parser of the ferriorm schema language.
 *
 * Builds the syntax tree of fm_ast.h with positions and comments.  It
 * reports every syntax error of a text in one pass: after an error it skips
 * to the end of the line (inside a block), to the end of the offending line
 * or braced group (at top level), or closes the block when the next block
 * begins.  Nesting of brackets is capped at FM_MAX_NESTING, and the number
 * of errors at FM_MAX_SYNTAX_ERRORS, so that any input is handled in
 * linear time and bounded stack.
 *
 * Also the front end's entry point, fm_parse_schema: parse, then validate
 * (validate.c).
 *
 * This file owns the token stream's messages, error recovery, blocks and
 * their members; values, argument lists and attributes are parsed in
 * parser_value.c, comments are collected and attached in
 * parser_comments.c, and the Parser state they share is declared in
 * parser_int.h.
 *
 * src/core/parser.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_ast.h"
#include "fm_lexer.h"
#include "fm_parse.h"
#include "parser_int.h"

#include <stdlib.h>
#include <string.h>

const FmAstComments fm_ast_no_comments;

static const char *const block_keywords[] = {"datasource", "generator", "model", "enum", "view"};

/* ---------- tokens ---------- */

/* A name for messages: quoted by the caller, cut when very long. */
const char *
fm_parser_shown(Parser *p, const char *s)
{
	size_t		len = s ? strlen(s) : 0;
	size_t		cut = 60;

	if (s == NULL)
		return "";
	if (len <= cut)
		return s;
	/* do not cut inside a UTF-8 sequence */
	while (cut > 0 && ((unsigned char) s[cut] & 0xC0) == 0x80)
		cut--;
	return fm_psprintf(p->keep, "%.*s...", (int) cut, s);
}

/* The text of a punctuation token kind, for messages ("?" for others). */
static const char *
tok_punct(FmTokKind kind)
{
	switch (kind)
	{
		case FM_TOK_LBRACE:
			return "{";
		case FM_TOK_RBRACE:
			return "}";
		case FM_TOK_LPAREN:
			return "(";
		case FM_TOK_RPAREN:
			return ")";
		case FM_TOK_LBRACKET:
			return "[";
		case FM_TOK_RBRACKET:
			return "]";
		case FM_TOK_COMMA:
			return ",";
		case FM_TOK_COLON:
			return ":";
		case FM_TOK_EQUALS:
			return "=";
		case FM_TOK_QUESTION:
			return "?";
		case FM_TOK_AT:
			return "@";
		case FM_TOK_ATAT:
			return "@@";
		case FM_TOK_DOT:
			return ".";
		default:
			return "?";
	}
}

/* What was found, for "..., found X" */
const char *
fm_parser_describe(Parser *p, const FmToken *t)
{
	switch (t->kind)
	{
		case FM_TOK_EOF:
			return "end of input";
		case FM_TOK_NEWLINE:
			return "end of line";
		case FM_TOK_STRING:
			return "a string";
		case FM_TOK_COMMENT:
			return "a comment";
		case FM_TOK_IDENT:
		case FM_TOK_NUMBER:
			return fm_psprintf(p->keep, "\"%s\"", fm_parser_shown(p, t->text));
		default:
			return fm_psprintf(p->keep, "\"%s\"", tok_punct(t->kind));
	}
}

/* 'model "User"' for messages, allocated in the parser's arena. */
static const char *
block_desc(Parser *p, const FmAstBlock *b)
{
	return fm_psprintf(p->keep, "%s \"%s\"", fm_parser_shown(p, b->keyword),
					   fm_parser_shown(p, b->name));
}

/* The name of an element for messages, as What describes it (arena). */
const char *
fm_parser_what_text(Parser *p, const What *w)
{
	return fm_psprintf(p->keep, "%s\"%s%s\"", w->prefix, w->marker,
					   fm_parser_shown(p, w->name));
}

/*
 * Inside a block: skip the rest of the line (not the newline nor a '}').
 * A token first on its line begins a new line (the error was found after
 * line ends inside brackets): it is not skipped.
 */
static void
skip_line(Parser *p)
{
	if (cur(p)->first_on_line)
		return;
	while (!at(p, FM_TOK_NEWLINE) && !at(p, FM_TOK_RBRACE) && !at(p, FM_TOK_EOF))
		advance(p);
}

/* At top level: skip to the end of the line, or of a braced group. */
static void
skip_toplevel(Parser *p)
{
	long		depth = 0;

	for (;;)
	{
		FmToken    *t = cur(p);

		if (t->kind == FM_TOK_EOF)
			return;
		if (t->kind == FM_TOK_NEWLINE && depth == 0)
			return;
		if (t->kind == FM_TOK_LBRACE)
			depth++;
		else if (t->kind == FM_TOK_RBRACE && depth > 0)
		{
			depth--;
			if (depth == 0)
			{
				advance(p);
				return;
			}
		}
		advance(p);
	}
}

/*
 * Inside brackets: line ends are blanks, comments go to the sink.  Called
 * through fm_parser_skip_nl (parser_int.h).
 */
void
fm_parser_skip_nl_run(Parser *p)
{
	for (;;)
	{
		FmToken    *t = cur(p);

		if (t->kind == FM_TOK_NEWLINE)
		{
			/* a line break inside brackets: kept for the prisma dialect */
			if (p->depth > 0 && !p->outer_noted && p->multiline)
			{
				FmSrcPos   *at = fm_alloc(p->keep, sizeof(FmSrcPos));

				*at = p->outer_open;
				fm_list_append(p->keep, p->multiline, at);
				p->outer_noted = true;
			}
			advance(p);
		}
		else if (t->kind == FM_TOK_COMMENT)
		{
			if (p->sink)
				fm_list_append(p->keep, p->sink, t->text);
			advance(p);
		}
		else
			return;
	}
}

/*
 * fm_parser_too_deep
 *		fm_parser_enter when FM_MAX_NESTING levels are already open: report
 *		an error at pos and skip the whole group that is too deep (without
 *		recursion).  Always false.
 */
bool
fm_parser_too_deep(Parser *p, FmSrcPos pos)
{
	long		d = 0;

	perror_at(p, pos, "brackets nested too deeply (the limit is %d levels)",
			  FM_MAX_NESTING);
	/* skip the whole group that is too deep, without recursion */
	for (;;)
	{
		FmTokKind	k = cur(p)->kind;

		if (k == FM_TOK_EOF || k == FM_TOK_RBRACE)
			break;
		if (k == FM_TOK_LPAREN || k == FM_TOK_LBRACKET)
			d++;
		else if ((k == FM_TOK_RPAREN || k == FM_TOK_RBRACKET) && --d <= 0)
		{
			advance(p);
			break;
		}
		advance(p);
	}
	return false;
}

/*
 * fm_ast_block_entry
 *		The first key = value entry named key of block b (a field with a
 *		value), or NULL; b may be NULL.
 */
FmAstField *
fm_ast_block_entry(const FmAstBlock *b, const char *key)
{
	for (int i = 0; b != NULL && i < b->fields.n; i++)
	{
		FmAstField *f = fm_list_get(&b->fields, i, FmAstField);

		if (f && f->value && f->name && strcmp(f->name, key) == 0)
			return f;
	}
	return NULL;
}

/* ---------- blocks ---------- */

/*
 * Is s a keyword that begins a top-level block (one of block_keywords, by
 * its first letter: this is asked of the first name of every member line)?
 */
static inline bool
is_block_keyword(const char *s)
{
	switch (s[0])
	{
		case 'd':
			return strcmp(s, "datasource") == 0;
		case 'g':
			return strcmp(s, "generator") == 0;
		case 'm':
			return strcmp(s, "model") == 0;
		case 'e':
			return strcmp(s, "enum") == 0;
		case 'v':
			return strcmp(s, "view") == 0;
		default:
			return false;
	}
}

/* end_of_member when something else follows: report it, skip the line */
static void
not_end_of_member(Parser *p, const What *what, FmAstBlock *b)
{
	FmToken    *t = cur(p);

	perror_at(p, t->pos, "expected a new line after %s in %s, found %s",
			  fm_parser_what_text(p, what), block_desc(p, b), fm_parser_describe(p, t));
	skip_line(p);
}

/*
 * After an element: a trailing comment, then the end of the line.  Inline:
 * every member ends so, most of them at once at a line end.
 */
static inline void
end_of_member(Parser *p, FmAstComments *c, const What *what, FmAstBlock *b)
{
	FmToken    *t;

	t = cur(p);
	if (t->kind == FM_TOK_COMMENT)
	{
		fm_parser_take_trailing(p, c);
		t = cur(p);
	}
	if (t->kind == FM_TOK_NEWLINE || t->kind == FM_TOK_RBRACE || t->kind == FM_TOK_EOF)
		return;
	not_end_of_member(p, what, b);
}

/*
 * add_member
 *		Append field f, or else block attribute a with its comments c
 *		(copied), to block b's fields or attrs and, when the caller keeps
 *		the layout (the formatter), to its members in source order.
 *		Everything is allocated in the parser's arena.  The layout is kept
 *		here; add_member, which most members take, only appends.
 */
static void
add_member_layout(Parser *p, FmAstBlock *b, FmAstField *f, FmAstAttribute *a,
				  FmAstComments *c)
{
	FmAstMember *m;

	m = fm_alloc(p->arena, sizeof(FmAstMember));
	m->field = f;
	m->attr = a;
	if (f)
		fm_list_append(p->keep, &p->block_fields, f);
	else
	{
		m->comments = fm_alloc(p->arena, sizeof(FmAstComments));
		*m->comments = *c;
		fm_list_append(p->keep, &p->block_attrs, a);
	}
	fm_list_append(p->arena, &b->members, m);
}

/* add_member_layout, inline when there is no layout to keep */
static inline void
add_member(Parser *p, FmAstBlock *b, FmAstField *f, FmAstAttribute *a,
		   FmAstComments *c)
{
	if (p->layout)
		add_member_layout(p, b, f, a, c);
	else if (f)
		fm_list_append(p->keep, &p->block_fields, f);
	else
		fm_list_append(p->keep, &p->block_attrs, a);
}

/*
 * The text between the parentheses of the type of field f, opened at byte
 * open of the input, kept as written (FmAstSchema.raw_strings) for its one
 * string argument when blanks surround it: prisma format writes
 * Unsupported( "circle" ) so.  Called after the arguments parsed, so the
 * parentheses match.
 */
static void
keep_type_arg_raw(Parser *p, FmAstField *f, size_t open)
{
	const char *s = (const char *) p->lx.start + open + 1;
	const char *e = s;
	const char *end = (const char *) p->lx.end;
	FmAstValue *v = FM_AST_TYPE_ARG(f, 0)->value;
	FmAstRawString *r;
	int			depth = 1;

	if (v == NULL || v->kind != FM_VAL_STRING || FM_AST_TYPE_ARG(f, 0)->name != NULL)
		return;
	for (; e < end; e++)
	{
		if (*e == '"')
		{
			for (e++; e < end && *e != '"'; e++)
				if (*e == '\\' && e + 1 < end)
					e++;
		}
		else if (*e == '(')
			depth++;
		else if (*e == ')' && --depth == 0)
			break;
	}
	if (e >= end || (*s != ' ' && *s != '\t' && e[-1] != ' ' && e[-1] != '\t'))
		return;
	r = p->raw_strings->n > 0 ?
		fm_list_get(p->raw_strings, p->raw_strings->n - 1, FmAstRawString) : NULL;
	if (r == NULL || r->value != v)
	{
		r = fm_alloc(p->keep, sizeof(FmAstRawString));
		r->value = v;
		fm_list_append(p->keep, p->raw_strings, r);
	}
	r->raw = fm_strndup(p->keep, s, (size_t) (e - s));
}

/*
 * A field, enum value or key = value line; current token is an IDENT.
 * Its comments are collected in c (the caller's) and kept by parse_field.
 */
static void
parse_field_in(Parser *p, FmAstBlock *b, CommentGroup *g, FmAstField *f,
			   FmAstComments *c)
{
	FmToken    *t = cur(p);
	bool		config = b->kind == FM_BLOCK_DATASOURCE || b->kind == FM_BLOCK_GENERATOR;
	What		what;

	f->name = t->text;
	f->pos = t->pos;
	fm_parser_group_take(p, g, c, t);
	p->sink = &c->leading;
	advance(p);
	t = cur(p);
	if (b->kind == FM_BLOCK_ENUM)
		what = what_of("value ", "", f->name);
	else if (config)
		what = what_of("", "", f->name);
	else
		what = what_of("field ", "", f->name);

	if (t->kind == FM_TOK_EQUALS)
	{
		if (b->kind == FM_BLOCK_MODEL || b->kind == FM_BLOCK_ENUM)
		{
			perror_at(p, t->pos, "unexpected \"=\" after \"%s\" in %s; %s",
					  fm_parser_shown(p, f->name), block_desc(p, b),
					  b->kind == FM_BLOCK_MODEL ?
					  "a field is written as \"name Type\"" :
					  "an enum value is a name on its own line");
			skip_line(p);
			return;
		}
		advance(p);
		if (at(p, FM_TOK_NEWLINE) || at(p, FM_TOK_EOF) || at(p, FM_TOK_RBRACE))
		{
			perror_at(p, cur(p)->pos, "expected a value after \"%s =\" in %s",
					  fm_parser_shown(p, f->name), block_desc(p, b));
			skip_line(p);
			return;
		}
		f->value = fm_parser_value(p);
		if (f->value == NULL)
		{
			skip_line(p);
			return;
		}
	}
	else if (t->kind == FM_TOK_IDENT && b->kind != FM_BLOCK_ENUM && !config)
	{
		size_t		type_end = t->off + t->text_len;

		f->type_name = t->text;
		f->type_pos = t->pos;
		advance(p);
		if (at(p, FM_TOK_LPAREN))
		{
			What		tw = what_of("type ", "", f->type_name);
			size_t		open = cur(p)->off;

			f->type_paren_apart = open != type_end;
			f->type_has_parens = true;
			f->type_args = fm_alloc(p->arena, sizeof(FmList));
			if (!fm_parser_args(p, f->type_args, &tw))
			{
				skip_line(p);
				return;
			}
			if (p->raw_strings && FM_AST_TYPE_NARGS(f) == 1)
				keep_type_arg_raw(p, f, open);
		}
		if (at(p, FM_TOK_LBRACKET))
		{
			size_t		lb = cur(p)->off;

			advance(p);
			f->list_apart = at(p, FM_TOK_RBRACKET) && cur(p)->off != lb + 1;
			if (!at(p, FM_TOK_RBRACKET))
			{
				perror_at(p, cur(p)->pos,
						  "expected \"]\" after \"[\" in the type of field \"%s\", found %s",
						  fm_parser_shown(p, f->name), fm_parser_describe(p, cur(p)));
				skip_line(p);
				return;
			}
			advance(p);
			f->list = true;
		}
		if (at(p, FM_TOK_QUESTION))
		{
			advance(p);
			f->optional = true;
		}
	}
	else if (config)
	{
		perror_at(p, t->pos, "expected \"=\" after \"%s\" in %s, found %s",
				  fm_parser_shown(p, f->name), block_desc(p, b), fm_parser_describe(p, t));
		skip_line(p);
		return;
	}
	else if (b->kind == FM_BLOCK_MODEL)
	{
		perror_at(p, t->pos, "expected a type for field \"%s\" in %s, found %s",
				  fm_parser_shown(p, f->name), block_desc(p, b), fm_parser_describe(p, t));
		skip_line(p);
		return;
	}

	while (at(p, FM_TOK_AT) && !config)
	{
		FmAstAttribute *a = fm_parser_attribute(p);

		if (a == NULL)
		{
			fm_parser_take(p, &p->field_attrs, 0, &f->attrs);
			skip_line(p);
			add_member(p, b, f, NULL, NULL);
			return;
		}
		fm_list_append(p->keep, &p->field_attrs, a);
	}
	fm_parser_take(p, &p->field_attrs, 0, &f->attrs);
	end_of_member(p, c, &what, b);
	add_member(p, b, f, NULL, NULL);
}

/* A field (parse_field_in), with its comments kept only when it has any. */
static void
parse_field(Parser *p, FmAstBlock *b, CommentGroup *g)
{
	FmAstField *f = fm_alloc(p->arena, sizeof(FmAstField));
	FmAstComments c;

	memset(&c, 0, sizeof(c));
	parse_field_in(p, b, g, f, &c);
	if (c.leading.n > 0 || c.trailing || c.doc || c.blank_lines_before)
	{
		f->comments = fm_alloc(p->arena, sizeof(FmAstComments));
		*f->comments = c;
	}
	p->sink = NULL;				/* c is gone */
}

/* @@attribute line inside a block; current token is '@@'. */
static void
parse_block_attribute(Parser *p, FmAstBlock *b, CommentGroup *g)
{
	FmToken    *t = cur(p);
	FmAstComments c;
	FmAstAttribute *a;

	fm_parser_group_take(p, g, &c, t);
	p->sink = &c.leading;
	if (b->kind == FM_BLOCK_DATASOURCE || b->kind == FM_BLOCK_GENERATOR)
	{
		perror_at(p, t->pos, "block attributes are not allowed in %s",
				  block_desc(p, b));
		advance(p);
		skip_line(p);
		return;
	}
	a = fm_parser_attribute(p);
	if (a == NULL)
	{
		skip_line(p);
		return;
	}
	{
		What		w = what_of("attribute ", "@@", a->name);

		end_of_member(p, &c, &w, b);
	}
	add_member(p, b, NULL, a, &c);
}

/* Does a new block start here (IDENT keyword, IDENT, '{')? */
static bool
block_starts_here(Parser *p)
{
	return at(p, FM_TOK_IDENT) && is_block_keyword(cur(p)->text) &&
		peek(p, 1)->kind == FM_TOK_IDENT && peek(p, 2)->kind == FM_TOK_LBRACE;
}

/* Members up to and including '}'; current token follows '{'. */
static void
parse_block_body_in(Parser *p, FmAstBlock *b)
{
	CommentGroup g;

	memset(&g, 0, sizeof(g));
	for (;;)
	{
		FmToken    *t = cur(p);

		p->sink = NULL;
		switch (t->kind)
		{
			case FM_TOK_EOF:
				perror_at(p, t->pos, "expected \"}\" to close %s, opened on line %d",
						  block_desc(p, b), b->pos.line);
				b->trailing_comments = fm_parser_group_list(p, &g);
				return;
			case FM_TOK_RBRACE:
				b->trailing_comments = fm_parser_group_list(p, &g);
				b->end_pos = t->pos;
				advance(p);
				b->end_comment = fm_parser_line_comments(p, NULL);
				b->end_comment_blank_after = b->end_comment != NULL && p->last_blank_after;
				return;
			case FM_TOK_NEWLINE:
				advance(p);
				break;
			case FM_TOK_COMMENT:
				fm_parser_group_add(p, &g, t);
				advance(p);
				break;
			case FM_TOK_IDENT:
				if (block_starts_here(p))
				{
					perror_at(p, t->pos, "expected \"}\" to close %s, opened on line %d, before %s \"%s\"",
							  block_desc(p, b), b->pos.line, t->text, fm_parser_shown(p, peek(p, 1)->text));
					b->trailing_comments = fm_parser_group_list(p, &g);
					return;
				}
				parse_field(p, b, &g);
				break;
			case FM_TOK_ATAT:
				parse_block_attribute(p, b, &g);
				break;
			case FM_TOK_AT:
				if (b->kind == FM_BLOCK_MODEL)
					perror_at(p, t->pos,
							  "expected a field name in %s, found \"@\"; a block attribute starts with \"@@\"",
							  block_desc(p, b));
				else
					perror_at(p, t->pos, "expected a name in %s, found \"@\"",
							  block_desc(p, b));
				advance(p);
				skip_line(p);
				break;
			default:
				perror_at(p, t->pos, "expected %s in %s, found %s",
						  b->kind == FM_BLOCK_MODEL ? "a field name" :
						  b->kind == FM_BLOCK_ENUM ? "an enum value" :
						  b->kind == FM_BLOCK_UNKNOWN ? "a name" : "a key",
						  block_desc(p, b), fm_parser_describe(p, t));
				advance(p);		/* skip_line would not move on "{" etc. */
				skip_line(p);
				break;
		}
	}
}

/*
 * parse_block_body_in, with the block's fields and attributes, collected
 * in the parser, moved to it at the end.
 */
static void
parse_block_body(Parser *p, FmAstBlock *b)
{
	parse_block_body_in(p, b);
	fm_parser_take(p, &p->block_fields, 0, &b->fields);
	fm_parser_take(p, &p->block_attrs, 0, &b->attrs);
}

/*
 * The arena for the nodes of the next model block when the tree is parsed
 * by block: the last one, until it holds FM_AST_NODE_CHUNK bytes, then a
 * new one.  A chunk of consecutive blocks shares an arena, so that the
 * validator frees memory in steps of about that size, never a block of
 * its own per model (a small model's nodes fill a fraction of a block).
 */
#define FM_AST_NODE_CHUNK (128 * 1024)

static FmArena *
node_arena(Parser *p)
{
	FmList	   *l = p->node_arenas;
	FmArena    *last = l->n > 0 ? fm_list_get(l, l->n - 1, FmArena) : NULL;

	if (last == NULL || fm_arena_bytes(last) >= FM_AST_NODE_CHUNK)
	{
		last = fm_arena_create_like(p->keep);
		fm_list_append(p->keep, l, last);
	}
	return last;
}

/*
 * parse_block
 *		Parse one top-level block ("model X { ... }" and the like) whose
 *		keyword is the current token, and append it to schema->blocks;
 *		g holds the comments above it.
 *
 * Unknown keywords are reported with a "did you mean" suggestion and the
 * block's body is still consumed (kind FM_BLOCK_UNKNOWN), so that later
 * errors are found in the same pass; without a name or "{" the parser
 * skips to the next top-level construct.
 */
static void
parse_block_in(Parser *p, FmAstSchema *schema, CommentGroup *g)
{
	FmToken    *t = cur(p);
	FmAstBlock *b = fm_alloc(p->keep, sizeof(FmAstBlock));

	b->keyword = t->text;
	b->pos = t->pos;
	b->kind = FM_BLOCK_UNKNOWN;
	if (fm_streq(t->text, "datasource"))
		b->kind = FM_BLOCK_DATASOURCE;
	else if (fm_streq(t->text, "generator"))
		b->kind = FM_BLOCK_GENERATOR;
	else if (fm_streq(t->text, "model") || fm_streq(t->text, "view"))
		b->kind = FM_BLOCK_MODEL;	/* a view is a model the schema does not create */
	else if (fm_streq(t->text, "enum"))
		b->kind = FM_BLOCK_ENUM;
	else if (fm_streq(t->text, "type"))
		perror_at(p, t->pos, "composite type blocks (\"type\") exist only for MongoDB; a PostgreSQL schema cannot use them: make it a model with a relation, or a Json field");
	else
	{
		const char *best = NULL;
		int			bestd = 3;

		for (size_t i = 0; i < sizeof(block_keywords) / sizeof(block_keywords[0]); i++)
		{
			int			d = fm_edit_distance(t->text, block_keywords[i], 2);

			if (d < bestd)
			{
				bestd = d;
				best = block_keywords[i];
			}
		}
		if (best)
			perror_at(p, t->pos, "unknown block type \"%s\"; did you mean \"%s\"?",
					  fm_parser_shown(p, t->text), best);
		else
			perror_at(p, t->pos,
					  "unknown block type \"%s\"; expected \"model\", \"enum\", \"datasource\" or \"generator\"",
					  fm_parser_shown(p, t->text));
	}
	if (b->kind == FM_BLOCK_MODEL && p->node_arenas != NULL)
		p->arena = b->nodes = node_arena(p);
	fm_parser_group_take(p, g, &b->comments, t);
	p->sink = &b->comments.leading;
	advance(p);

	t = cur(p);
	if (t->kind == FM_TOK_IDENT)
	{
		b->name = t->text;
		b->name_pos = t->pos;
		advance(p);
	}
	else
	{
		b->name = fm_strdup(p->keep, "");
		if (b->kind != FM_BLOCK_UNKNOWN)
			perror_at(p, t->pos, "expected a name after \"%s\", found %s",
					  b->keyword, fm_parser_describe(p, t));
		if (t->kind != FM_TOK_LBRACE)
		{
			skip_toplevel(p);
			return;
		}
	}
	/* the brace may be on the next line (not in the prisma dialect: noted) */
	if (at(p, FM_TOK_NEWLINE) && peek(p, 1)->kind == FM_TOK_LBRACE)
	{
		FmSrcPos   *at_brace = fm_alloc(p->keep, sizeof(FmSrcPos));

		/* on the name's line, which Prisma names ("This line is invalid") */
		*at_brace = b->name_pos.line > 0 ? b->name_pos : peek(p, 1)->pos;
		fm_list_append(p->keep, &schema->brace_next_line, at_brace);
		advance(p);
	}
	t = cur(p);
	if (t->kind != FM_TOK_LBRACE)
	{
		if (b->kind == FM_BLOCK_UNKNOWN)
		{
			skip_toplevel(p);
			return;
		}
		perror_at(p, t->pos, "expected \"{\" after %s, found %s",
				  block_desc(p, b), fm_parser_describe(p, t));
		if (t->kind == FM_TOK_NEWLINE && peek(p, 1)->kind == FM_TOK_IDENT &&
			!is_block_keyword(peek(p, 1)->text))
			advance(p);			/* members follow: parse them as a body */
		else
		{
			skip_toplevel(p);
			return;
		}
	}
	else
	{
		int			line = t->pos.line;

		advance(p);
		fm_parser_take_trailing(p, &b->comments);
		if (!at(p, FM_TOK_NEWLINE) && !at(p, FM_TOK_EOF) &&
			!at(p, FM_TOK_RBRACE) && cur(p)->pos.line == line)
			b->brace_line = line;
	}
	fm_list_append(p->keep, &schema->blocks, b);
	if (b->nodes != NULL)
	{
		const void *first,
				   *last;
		const char *lo = fm_arena_mark(b->nodes, &first);

		parse_block_body(p, b);
		b->nodes_hi = fm_arena_mark(b->nodes, &last);
		b->nodes_lo = first == last ? lo :
			(const char *) last + FM_ARENA_BLOCK_HDR;
	}
	else
		parse_block_body(p, b);
}

/* keep the items of list whose line is not line (in place) */
static void
drop_on_line(FmList *list, bool attrs, int line, FmArena *arena,
			 FmList *dropped)
{
	int			keep = 0;

	for (int i = 0; i < list->n; i++)
	{
		FmSrcPos   *pos = attrs ? &((FmAstAttribute *) list->items[i])->pos
			: &((FmAstField *) list->items[i])->pos;

		if (pos->line == line)
		{
			if (dropped != NULL)
				fm_list_append(arena, dropped, pos);
			continue;
		}
		list->items[keep++] = list->items[i];
	}
	list->n = keep;
}

/*
 * fm_ast_drop_brace_line
 *		See fm_ast.h.  The formatter's member list (FmAstBlock.members)
 *		loses the same members.
 */
void
fm_ast_drop_brace_line(FmArena *arena, FmAstSchema *ast, FmList *dropped)
{
	for (int i = 0; i < ast->blocks.n; i++)
	{
		FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);
		int			keep = 0;

		if (b->brace_line == 0)
			continue;
		drop_on_line(&b->fields, false, b->brace_line, arena, dropped);
		drop_on_line(&b->attrs, true, b->brace_line, arena, dropped);
		for (int j = 0; j < b->members.n; j++)
		{
			FmAstMember *m = fm_list_get(&b->members, j, FmAstMember);
			const FmSrcPos *pos = m->field ? &m->field->pos : &m->attr->pos;

			if (pos->line != b->brace_line)
				b->members.items[keep++] = m;
		}
		b->members.n = keep;
		b->brace_line = 0;
	}
}

/* parse_block_in, the nodes of the block in their arena (Parser) */
static void
parse_block(Parser *p, FmAstSchema *schema, CommentGroup *g)
{
	parse_block_in(p, schema, g);
	p->arena = p->keep;
}

/*
 * parse_text
 *		Lex and parse the schema text text[0..len) into an AST allocated in
 *		arena, with the members of each block (FmAstBlock.members) when
 *		layout is true.  Every syntax error goes to diags (the parser
 *		recovers at the next line or block, up to FM_MAX_SYNTAX_ERRORS); the
 *		tree holds whatever could be parsed, with nerrors set, and is never
 *		NULL.
 */
static FmAstSchema *
parse_text(FmArena *arena, const char *text, size_t len, FmDiagList *diags,
		   bool layout, bool by_block)
{
	Parser		p;
	FmAstSchema *schema = fm_alloc(arena, sizeof(FmAstSchema));
	CommentGroup g;

	memset(&p, 0, sizeof(p));
	memset(&g, 0, sizeof(g));
	p.arena = arena;
	p.keep = arena;
	p.node_arenas = by_block ? &schema->node_arenas : NULL;
	p.relations = by_block ? (schema->relations = fm_arena_create_like(arena)) : arena;
	p.layout = layout;
	p.commas = &schema->trailing_commas;
	p.exponents = &schema->exponent_numbers;
	p.raw_strings = layout ? &schema->raw_strings : NULL;
	p.multiline = &schema->multiline;
	p.errs.diags = diags;
	p.errs.arena = arena;
	fm_lexer_init(&p.lx, arena, &p.errs, text, len);
	p.lx.odd_names = &schema->odd_names;
	p.lx.mid_comments = &schema->mid_comments;
	fm_lexer_next(&p.lx, &p.la[0]);	/* the current token (cur) */
	p.nla = 1;

	for (;;)
	{
		FmToken    *t = cur(&p);

		p.sink = NULL;
		if (t->kind == FM_TOK_EOF)
			break;
		switch (t->kind)
		{
			case FM_TOK_NEWLINE:
				advance(&p);
				break;
			case FM_TOK_COMMENT:
				fm_parser_group_add(&p, &g, t);
				p.after_end_comment = false;
				advance(&p);
				break;
			case FM_TOK_IDENT:
				p.after_end_comment = false;	/* top level only */
				parse_block(&p, schema, &g);
				{
					FmAstBlock *last = schema->blocks.n > 0 ?
						fm_list_get(&schema->blocks, schema->blocks.n - 1, FmAstBlock) : NULL;

					p.after_end_comment = last != NULL && last->end_comment != NULL &&
						!last->end_comment_blank_after;
				}
				break;
			case FM_TOK_RBRACE:
				perror_at(&p, t->pos, "unexpected \"}\" outside of a block");
				advance(&p);
				break;
			default:
				perror_at(&p, t->pos,
						  "expected a block such as \"model\" or \"enum\", found %s",
						  fm_parser_describe(&p, t));
				skip_toplevel(&p);
				break;
		}
	}
	schema->trailing_comments = fm_parser_group_list(&p, &g);
	schema->nerrors = p.errs.count + (p.errs.stopped ? 1 : 0);
	/* nothing is interned after the parse: its table goes, its names stay */
	fm_interner_free(arena, &p.lx.names);
	return schema;
}

/* the whole tree, members included (fm_ast.h) */
FmAstSchema *
fm_ast_parse(FmArena *arena, const char *text, size_t len, FmDiagList *diags)
{
	return parse_text(arena, text, len, diags, true, false);
}

/* the tree without the members of its blocks: what validation reads */
FmAstSchema *
fm_ast_parse_model(FmArena *arena, const char *text, size_t len,
				   FmDiagList *diags)
{
	return parse_text(arena, text, len, diags, false, false);
}

/* the same with the nodes of model blocks by chunk (fm_ast.h) */
FmAstSchema *
fm_ast_parse_model_by_block(FmArena *arena, const char *text, size_t len,
							FmDiagList *diags)
{
	return parse_text(arena, text, len, diags, false, true);
}

/*
 * fm_ast_free_nodes
 *		Free the node arenas of ast, and its relations arena, that the
 *		validator has not freed yet (fm_ast.h).
 */
void
fm_ast_free_nodes(FmAstSchema *ast)
{
	if (ast == NULL)
		return;
	for (int i = 0; i < ast->node_arenas.n; i++)
	{
		fm_arena_destroy(fm_list_get(&ast->node_arenas, i, FmArena));
		ast->node_arenas.items[i] = NULL;
	}
	fm_arena_destroy(ast->relations);
	ast->relations = NULL;
}

/*
 * parse_and_validate
 *		Parse text into a syntax tree in tree and validate it into a model
 *		in arena (which may be tree), with the validator's working memory in
 *		tree; diagnostics of both are added to diags and sorted by position.
 *		release (may be NULL) is called between the two (fm_parse.h).
 *		Returns the model, NULL when there is at least one error.
 */
static FmModel *
parse_and_validate(FmArena *arena, FmArena *tree, const char *text, size_t len,
				   FmDialectKind dialect, FmDiagList *diags,
				   const FmTextRelease *release)
{
	FmAstSchema *ast;
	FmModel    *m;
	int			before = diags->nerrors;
	bool		recycle = fm_arena_set_recycle(arena, true);

	fm_arena_set_recycle(tree, true);
	FM_TIMING_MARK(NULL);
	ast = fm_ast_parse_model_by_block(tree, text ? text : "", text ? len : 0,
									  diags);
	FM_TIMING_MARK("parse");
	fm_text_release(release);
	m = fm_ast_validate_in(arena, tree, ast, dialect, diags);
	fm_ast_free_nodes(ast);
	fm_arena_set_recycle(arena, recycle);
	fm_diags_sort(diags);
	return diags->nerrors > before ? NULL : m;
}

/*
 * fm_parse_schema
 *		Parse and validate schema text: the front end's entry point
 *		(fm_parse.h).  The syntax tree and the validator's working memory
 *		live in an arena of their own, freed once the model has adopted the
 *		strings it holds from it.  Returns NULL when there is at least one
 *		error.
 */
FmModel *
fm_parse_schema(FmArena *arena, const char *text, size_t len,
				FmDialectKind dialect, FmDiagList *diags)
{
	return fm_parse_schema_release(arena, text, len, dialect, diags, NULL);
}

/* fm_parse_schema, calling release (may be NULL) after the parse */
FmModel *
fm_parse_schema_release(FmArena *arena, const char *text, size_t len,
						FmDialectKind dialect, FmDiagList *diags,
						const FmTextRelease *release)
{
	FmArena    *tree = fm_arena_create_like(arena);
	FmModel    *m = parse_and_validate(arena, tree, text, len, dialect, diags,
									   release);

	if (m != NULL)
		fm_model_adopt_strings(m, tree);
	fm_arena_destroy(tree);
	return m;
}

/*
 * fm_check_schema
 *		fm_parse_schema for the diagnostics alone (fm_parse.h): the model is
 *		built in the arena of the syntax tree, shown to fn, and freed with
 *		it, so that nothing is copied.
 */
void
fm_check_schema(FmArena *arena, const char *text, size_t len,
				FmDialectKind dialect, FmDiagList *diags,
				const FmTextRelease *release,
				void (*fn) (FmModel *m, void *arg), void *arg)
{
	FmArena    *tree = fm_arena_create_like(arena);
	FmModel    *m = parse_and_validate(tree, tree, text, len, dialect, diags,
									   release);

	if (fn != NULL)
		fn(m, arg);
	fm_arena_destroy(tree);
}
