/*-------------------------------------------------------------------------
 *
 * format.c
 *	  Canonical formatting of ferriorm schema text (like "prisma format").
 *
 * Layout: blocks separated by one blank line; two-space indentation; model
 * fields aligned in three columns (name, type, attributes); enum values and
 * their attributes aligned; datasource/generator entries aligned on "=";
 * block attributes after the fields, after a blank line, in the order
 * written; single blank lines between members kept; every comment kept;
 * strings re-escaped canonically.  Formatting the output again gives the
 * same text.
 *
 * In the prisma dialect the output is byte for byte what "prisma format"
 * writes (checked by test/scripts/prisma_oracle.sh): block comments are
 * rewritten as "/" "**", " * " lines and " *" "/" (with the quirk of
 * Prisma's parser, see prisma_block_comment), field and block attributes
 * are sorted in Prisma's order (attr_rank) and block attributes are not
 * separated by blank lines, and string literals are written as written
 * (Prisma's formatter keeps "\u00e9" as it is; the ferriorm layout writes
 * every string re-escaped canonically).
 *
 * src/core/format.c
 *
 *-------------------------------------------------------------------------
 *
 * src/core/format.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_ast.h"
#include "fm_parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * The string literals to write as written (FmAstSchema.raw_strings, in
 * Prisma's layout), sorted by the address of their value for raw_text().
 */
typedef struct RawStrings
{
	const FmAstRawString **v;
	int			n;
} RawStrings;

static void append_value(FmBuf *out, const FmAstValue *v, const RawStrings *raw);

static int
cmp_raw(const void *a, const void *b)
{
	uintptr_t	x = (uintptr_t) (*(const FmAstRawString *const *) a)->value;
	uintptr_t	y = (uintptr_t) (*(const FmAstRawString *const *) b)->value;

	return x < y ? -1 : x > y;
}

/*
 * raw_strings_of
 *		The index of ast's string literals written with escapes, when they
 *		are to be written as written (prisma: Prisma's formatter keeps
 *		every literal as it is); empty otherwise (the ferriorm layout
 *		writes every string re-escaped canonically).
 */
static RawStrings
raw_strings_of(FmArena *arena, const FmAstSchema *ast, bool prisma)
{
	RawStrings	r = {NULL, 0};

	if (!prisma || ast->raw_strings.n == 0)
		return r;
	r.n = ast->raw_strings.n;
	r.v = fm_alloc(arena, sizeof(*r.v) * (size_t) r.n);
	for (int i = 0; i < r.n; i++)
		r.v[i] = fm_list_get(&ast->raw_strings, i, FmAstRawString);
	qsort(r.v, (size_t) r.n, sizeof(*r.v), cmp_raw);
	return r;
}

/* string value v as written (quotes included), or NULL: write it escaped */
static const char *
raw_text(const RawStrings *raw, const FmAstValue *v)
{
	FmAstRawString key;
	const FmAstRawString *kp = &key;
	const FmAstRawString **hit;

	if (raw == NULL || raw->n == 0)
		return NULL;
	key.value = v;
	hit = bsearch(&kp, raw->v, (size_t) raw->n, sizeof(*raw->v), cmp_raw);
	return hit ? (*hit)->raw : NULL;
}

/*
 * Width of UTF-8 text in the layout's columns: characters (code points), or
 * bytes when bytes (the prisma dialect: Prisma's formatter pads names and
 * types by their length in bytes, so "größe" is 7 wide).
 */
static size_t
text_width(const char *s, bool bytes)
{
	size_t		w = 0;

	if (bytes)
		return strlen(s);
	for (; *s; s++)
		if (((unsigned char) *s & 0xC0) != 0x80)
			w++;
	return w;
}

/*
 * Append blanks to out until the current line (begun at byte line_start)
 * is width wide (text_width(), in bytes when bytes); nothing when it
 * already is.
 */
static void
pad_to(FmBuf *out, size_t line_start, size_t width, bool bytes)
{
	size_t		w = text_width(out->data + line_start, bytes);

	while (w < width)
	{
		fm_buf_append_char(out, ' ');
		w++;
	}
}

/*
 * append_string
 *		Append s[0..len) to out as a quoted string literal of the language:
 *		quotes, backslashes, newlines, tabs and carriage returns escaped
 *		with a backslash, other control characters as \uXXXX; the inverse
 *		of the lexer's unescaping.
 */
static void
append_string(FmBuf *out, const char *s, size_t len)
{
	fm_buf_append_char(out, '"');
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		switch (c)
		{
			case '"':
				fm_buf_append(out, "\\\"");
				break;
			case '\\':
				fm_buf_append(out, "\\\\");
				break;
			case '\n':
				fm_buf_append(out, "\\n");
				break;
			case '\t':
				fm_buf_append(out, "\\t");
				break;
			case '\r':
				fm_buf_append(out, "\\r");
				break;
			default:
				if (c < 0x20 || c == 0x7f)
					fm_buf_printf(out, "\\u%04x", c);
				else
					fm_buf_append_char(out, (char) c);
				break;
		}
	}
	fm_buf_append_char(out, '"');
}

/* Append an argument list without its parentheses: "name: value, ...". */
static void
append_args(FmBuf *out, const FmList *args, const RawStrings *raw)
{
	for (int i = 0; i < args->n; i++)
	{
		const FmAstArg *a = fm_list_get(args, i, FmAstArg);

		if (i > 0)
			fm_buf_append(out, ", ");
		if (a->name)
		{
			fm_buf_append(out, a->name);
			fm_buf_append(out, ": ");
		}
		append_value(out, a->value, raw);
	}
}

/*
 * append_value
 *		Append value v as written in canonical form: strings quoted
 *		(append_string), names and numbers as they are, lists as "[a, b]",
 *		calls as "f(args)", objects in Prisma's spelling "{ a: 1 }" ("{}"
 *		when empty).  Nothing for NULL.  A string in raw is written as
 *		written.
 */
static void
append_value(FmBuf *out, const FmAstValue *v, const RawStrings *raw)
{
	const char *as_written;

	if (v == NULL)
		return;
	switch (v->kind)
	{
		case FM_VAL_STRING:
			if ((as_written = raw_text(raw, v)) != NULL)
				fm_buf_append(out, as_written);
			else
				append_string(out, v->text ? v->text : "", v->text ? v->text_len : 0);
			break;
		case FM_VAL_NUMBER:
		case FM_VAL_IDENT:
			fm_buf_append(out, v->text ? v->text : "");
			break;
		case FM_VAL_ARRAY:
			fm_buf_append_char(out, '[');
			for (int i = 0; i < v->items.n; i++)
			{
				if (i > 0)
					fm_buf_append(out, ", ");
				append_value(out, fm_list_get(&v->items, i, FmAstValue), raw);
			}
			fm_buf_append_char(out, ']');
			break;
		case FM_VAL_CALL:
			fm_buf_append(out, v->text ? v->text : "");
			fm_buf_append_char(out, '(');
			append_args(out, &v->args, raw);
			fm_buf_append_char(out, ')');
			break;
		case FM_VAL_OBJECT:
			/* Prisma's spelling: { a: 1, b: { not: null } }, {} when empty */
			fm_buf_append_char(out, '{');
			if (v->args.n > 0)
			{
				fm_buf_append_char(out, ' ');
				append_args(out, &v->args, raw);
				fm_buf_append_char(out, ' ');
			}
			fm_buf_append_char(out, '}');
			break;
	}
}

/*
 * Append attribute a: "@name" or "@@name", with "(args)" when written so.
 */
static void
append_attribute(FmBuf *out, const FmAstAttribute *a, const RawStrings *raw)
{
	fm_buf_append(out, a->block ? "@@" : "@");
	fm_buf_append(out, a->name ? a->name : "");
	if (a->has_parens)
	{
		fm_buf_append_char(out, '(');
		append_args(out, &a->args, raw);
		fm_buf_append_char(out, ')');
	}
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/*
 * Block comment text (as the parser keeps it: the blanks before it on its
 * line when it continues a run of comments, then the comment as written)
 * the way Prisma's formatter rewrites it: "/" "**", then for every line of
 * what lies between the first two and the last two characters, trimmed and
 * without one leading "*", a " * " line when it is not empty, then " *" "/".
 * Prisma cuts the two characters off its parser's span of the comment,
 * which starts at those blanks: then the "/" "*" stays in the text, and
 * this reproduces that.
 */
static void
prisma_block_comment(FmBuf *out, const char *text, const char *indent)
{
	size_t		len = strlen(text);
	const char *p = text + 2;
	const char *end = len >= 4 ? text + len - 2 : p;

	fm_buf_append(out, indent);
	fm_buf_append(out, "/**\n");
	while (p < end)
	{
		const char *eol = memchr(p, '\n', (size_t) (end - p));
		const char *a = p,
				   *b = eol ? eol : end;

		while (a < b && is_blank(*a))
			a++;
		while (b > a && is_blank(b[-1]))
			b--;
		if (a < b && *a == '*')
			for (a++; a < b && is_blank(*a); a++)
				;
		if (a < b)
		{
			fm_buf_append(out, indent);
			fm_buf_append(out, " * ");
			fm_buf_append_len(out, a, (size_t) (b - a));
			fm_buf_append_char(out, '\n');
		}
		p = eol ? eol + 1 : end;
	}
	fm_buf_append(out, indent);
	fm_buf_append(out, " */\n");
}

/*
 * A line comment's text: in Prisma's layout as written, trailing blanks
 * included (its formatter keeps them), in the ferriorm layout without them.
 */
static void
append_comment_text(FmBuf *out, const char *text, bool prisma)
{
	fm_buf_append_len(out, text, prisma ? strlen(text) : fm_rtrim_len(text));
}

/*
 * Comment lines [from, to) at an indentation; "" is a blank line.  Block
 * comments are printed as written, or as Prisma rewrites them (prisma).
 */
static void
append_comment_range(FmBuf *out, const FmList *lines, int from, int to,
					 const char *indent, bool prisma)
{
	for (int i = from; i < to; i++)
	{
		const char *line = fm_list_get(lines, i, char);
		const char *text = line;

		while (*text == ' ' || *text == '\t')
			text++;
		if (line[0] == '\0')
			fm_buf_append_char(out, '\n');
		else if (prisma && strncmp(text, "/*", 2) == 0)
			prisma_block_comment(out, line, indent);
		else
		{
			fm_buf_append(out, indent);
			append_comment_text(out, text, prisma);
			fm_buf_append_char(out, '\n');
		}
	}
}

/* All the comment lines from index from on (see append_comment_range). */
static void
append_comment_lines(FmBuf *out, const FmList *lines, int from, const char *indent,
					 bool prisma)
{
	append_comment_range(out, lines, from, lines->n, indent, prisma);
}

/* The index of the last blank line ("") among comment lines, or -1. */
static int
last_blank(const FmList *lines)
{
	for (int i = lines->n - 1; i >= 0; i--)
		if (fm_list_get(lines, i, char)[0] == '\0')
			return i;
	return -1;
}

/* a blank line before or among the leading comments of c? */
static bool
blank_in(const FmAstComments *c)
{
	if (c->blank_lines_before > 0)
		return true;
	for (int i = 0; i < c->leading.n; i++)
		if (fm_list_get(&c->leading, i, char)[0] == '\0')
			return true;
	return false;
}

/*
 * Prisma's order of attributes (its formatter sorts field and block
 * attributes stably by it): the others after them, in the order written.
 */
static int
attr_rank(const FmAstAttribute *a)
{
	static const char *const order[] = {
		"id", "unique", "default", "updatedAt", "index", "fulltext", "map",
		"relation", "ignore", NULL
	};

	for (int i = 0; order[i]; i++)
		if (a->name && strcmp(a->name, order[i]) == 0)
			return i;
	return 1000;
}

/* the attributes of list (of FmAstAttribute *) stably sorted by attr_rank */
static const FmAstAttribute **
sorted_attrs(FmArena *arena, const FmList *list)
{
	const FmAstAttribute **v = fm_alloc(arena, sizeof(*v) * (size_t) (list->n + 1));

	for (int i = 0; i < list->n; i++)
	{
		const FmAstAttribute *a = fm_list_get(list, i, FmAstAttribute);
		int			j = i;

		while (j > 0 && attr_rank(v[j - 1]) > attr_rank(a))
		{
			v[j] = v[j - 1];
			j--;
		}
		v[j] = a;
	}
	return v;
}

/* Append " comment" (a trailing comment after its element), if any. */
static void
append_trailing(FmBuf *out, const char *comment, bool prisma)
{
	if (comment)
	{
		fm_buf_append_char(out, ' ');
		append_comment_text(out, comment, prisma);
	}
}

/* Append the type of a field ("" when none): Type(args)[]? */
static void
append_field_type(FmBuf *b, const FmAstField *f, const RawStrings *raw)
{
	if (f->type_name == NULL)
		return;
	fm_buf_append(b, f->type_name);
	if (f->type_has_parens || FM_AST_TYPE_NARGS(f) > 0)
	{
		fm_buf_append_char(b, '(');
		if (f->type_args != NULL)
			append_args(b, f->type_args, raw);
		fm_buf_append_char(b, ')');
	}
	if (f->list)
		fm_buf_append(b, "[]");
	if (f->optional)
		fm_buf_append_char(b, '?');
}

/* Append the @attributes of a field, separated by spaces (prisma: sorted) */
static void
append_field_attrs(FmArena *arena, FmBuf *b, const FmAstField *f, bool prisma,
				   const RawStrings *raw)
{
	const FmAstAttribute **sorted = prisma ? sorted_attrs(arena, &f->attrs) : NULL;

	for (int i = 0; i < f->attrs.n; i++)
	{
		if (i > 0)
			fm_buf_append_char(b, ' ');
		append_attribute(b, sorted ? sorted[i] : fm_list_get(&f->attrs, i, FmAstAttribute),
						 raw);
	}
}

/*
 * The comments that end block b (before its '}'), after nbefore members
 * written above them: a blank line first when the text has one there and
 * something precedes it.
 */
static void
append_block_trailing(FmBuf *out, const FmAstBlock *b, int nbefore, bool prisma)
{
	int			from = 0;

	if (b->trailing_comments.n == 0)
		return;
	if (fm_list_get(&b->trailing_comments, 0, char)[0] == '\0')
	{
		from = 1;
		if (nbefore > 0)
			fm_buf_append_char(out, '\n');
	}
	append_comment_lines(out, &b->trailing_comments, from, "  ", prisma);
}

/*
 * append_end_comments
 *		The comments after a block's "}" on its line (FmAstBlock.end_comment:
 *		their texts joined by one space, see fm_parser_line_comments) as
 *		Prisma's formatter writes them: each on a line of its own, below
 *		the "}", as top-level comments (block comments rewritten by
 *		prisma_block_comment, from a copy in arena).  A block comment's text
 *		ends at its first "*" "/", a line comment's at the end of the text.
 */
static void
append_end_comments(FmArena *arena, FmBuf *out, const char *text)
{
	while (text != NULL && *text)
	{
		const char *end = strncmp(text, "/*", 2) == 0 ? strstr(text + 2, "*/") : NULL;

		if (end == NULL)
		{
			append_comment_text(out, text, true);
			fm_buf_append_char(out, '\n');
			return;
		}
		prisma_block_comment(out, fm_strndup(arena, text, (size_t) (end + 2 - text)), "");
		text = end + 2;
		if (*text == ' ')
			text++;
	}
}

/*
 * Prisma's layout: the comments above block attribute member k of b that
 * come before a blank line above it (the ones that do not move with it),
 * written in place; *nfloating counts them.  nfields: fields written.
 */
static void
append_floating(FmBuf *out, const FmAstBlock *b, int k, int nfields,
				int *nfloating)
{
	const FmAstMember *m = fm_list_get(&b->members, k, FmAstMember);
	const FmAstComments *c;
	int			lb;

	if (m->attr == NULL || m->field != NULL)
		return;
	c = FM_AST_COMMENTS(m);
	if ((lb = last_blank(&c->leading)) <= 0)
		return;
	if ((nfields > 0 || *nfloating > 0) && c->blank_lines_before > 0)
		fm_buf_append_char(out, '\n');
	append_comment_range(out, &c->leading, 0, lb, "  ", true);
	(*nfloating)++;
}

/*
 * format_block
 *		Append block b to out in canonical layout: the header line, then the
 *		members in two passes (the widths of the name, type and key columns
 *		are measured first, then every field, enum value or key = value entry
 *		is written aligned to them), then the block attributes after a blank
 *		line, the comments before "}" (prisma: before the block attributes,
 *		as Prisma writes them) and the closing brace.  Single blank lines
 *		between members and every comment are kept.
 *		The type and attribute texts of the fields are built in the first
 *		pass, in scratch (a buffer reused for every block: each text is
 *		NUL-terminated there and found by offset, as the buffer may move
 *		while it grows).  prisma: Prisma's layout (see the file header).
 *		The strings in raw are written as written.
 */
static void
format_block(FmArena *arena, FmBuf *out, FmBuf *scratch, const FmAstBlock *b,
			 bool prisma, const RawStrings *raw)
{
	int			nfields = 0;
	int			nattrs = 0;
	size_t	   *name_ws,
			   *type_ws,
			   *key_ws;
	int		   *seg;			/* member -> its run of aligned members */
	int			nseg = 0;
	size_t	   *types;
	size_t	   *attrs;
	int		   *order = NULL;	/* prisma: members by attr_rank */
	bool		comments_first = false; /* prisma: trailing comments before
										 * the block attributes */
	int			nfloating = 0;	/* prisma: runs of comments moved from
								 * above block attributes */
	int			floated = 0;	/* prisma: members whose floating comments
								 * are written (append_floating) */

#define TYPE_TEXT(i) (scratch->data + types[i])
#define ATTRS_TEXT(i) (scratch->data + attrs[i])

	fm_buf_append(out, b->keyword ? b->keyword : "");
	fm_buf_append_char(out, ' ');
	fm_buf_append(out, b->name ? b->name : "");
	fm_buf_append(out, " {");
	if (!prisma)				/* Prisma's formatter drops it */
		append_trailing(out, b->comments.trailing, prisma);
	fm_buf_append_char(out, '\n');

	if (prisma)
	{
		order = fm_alloc(arena, sizeof(int) * (size_t) (b->members.n + 1));
		for (int i = 0; i < b->members.n; i++)
		{
			const FmAstMember *m = fm_list_get(&b->members, i, FmAstMember);
			int			r = m->attr ? attr_rank(m->attr) : 0;
			int			j = i;

			while (j > 0)
			{
				const FmAstMember *o = fm_list_get(&b->members, order[j - 1], FmAstMember);

				if ((o->attr ? attr_rank(o->attr) : 0) <= r)
					break;
				order[j] = order[j - 1];
				j--;
			}
			order[j] = i;
		}
	}

	/*
	 * columns: aligned over the whole block, or in Prisma's layout over
	 * each run of members between blank lines
	 */
	types = fm_alloc(arena, sizeof(size_t) * (size_t) (b->members.n + 1));
	attrs = fm_alloc(arena, sizeof(size_t) * (size_t) (b->members.n + 1));
	seg = fm_alloc(arena, sizeof(int) * (size_t) (b->members.n + 1));
	name_ws = fm_alloc(arena, sizeof(size_t) * (size_t) (b->members.n + 1));
	type_ws = fm_alloc(arena, sizeof(size_t) * (size_t) (b->members.n + 1));
	key_ws = fm_alloc(arena, sizeof(size_t) * (size_t) (b->members.n + 1));
	fm_buf_reset(scratch);
	for (int i = 0; i < b->members.n; i++)
	{
		const FmAstMember *m = fm_list_get(&b->members, i, FmAstMember);
		const FmAstField *f = m->field;
		size_t		w;

		seg[i] = nseg;
		if (f == NULL)
			continue;
		if (prisma && i > 0 && blank_in(FM_AST_COMMENTS(f)))
			seg[i] = ++nseg;
		types[i] = scratch->len;
		append_field_type(scratch, f, raw);
		fm_buf_append_len(scratch, "", 1);
		attrs[i] = scratch->len;
		append_field_attrs(arena, scratch, f, prisma, raw);
		fm_buf_append_len(scratch, "", 1);
		w = text_width(f->name ? f->name : "", prisma);
		if (f->value)
		{
			if (w > key_ws[seg[i]])
				key_ws[seg[i]] = w;
			continue;
		}
		/* prisma: an enum value without attributes widens the column too */
		if ((prisma || TYPE_TEXT(i)[0] || ATTRS_TEXT(i)[0]) && w > name_ws[seg[i]])
			name_ws[seg[i]] = w;
		if (TYPE_TEXT(i)[0] && text_width(TYPE_TEXT(i), prisma) > type_ws[seg[i]])
			type_ws[seg[i]] = text_width(TYPE_TEXT(i), prisma);
	}

	/* fields, enum values, key = value entries */
	for (int i = 0; i < b->members.n; i++)
	{
		const FmAstMember *m = fm_list_get(&b->members, i, FmAstMember);
		const FmAstField *f = m->field;
		size_t		start;
		size_t		name_w = name_ws[seg[i]],
					type_w = type_ws[seg[i]],
					key_w = key_ws[seg[i]];

		if (f == NULL)
			continue;
		/* prisma: the floating comments written above this field stay above it */
		for (; prisma && floated < i; floated++)
			append_floating(out, b, floated, nfields, &nfloating);
		floated = i + 1;
		/* prisma: also for a first field a block attribute was written above */
		if ((nfields > 0 || (prisma && i > 0)) &&
			FM_AST_COMMENTS(f)->blank_lines_before > 0)
			fm_buf_append_char(out, '\n');
		nfields++;
		append_comment_lines(out, &FM_AST_COMMENTS(f)->leading, 0, "  ", prisma);
		fm_buf_append(out, "  ");
		start = out->len;
		fm_buf_append(out, f->name ? f->name : "");
		if (f->value)
		{
			pad_to(out, start, key_w, prisma);
			fm_buf_append(out, " = ");
			append_value(out, f->value, raw);
		}
		else
		{
			if (TYPE_TEXT(i)[0])
			{
				pad_to(out, start, name_w, prisma);
				fm_buf_append_char(out, ' ');
				fm_buf_append(out, TYPE_TEXT(i));
			}
			if (ATTRS_TEXT(i)[0])
			{
				pad_to(out, start, TYPE_TEXT(i)[0] ? name_w + 1 + type_w : name_w, prisma);
				fm_buf_append_char(out, ' ');
				fm_buf_append(out, ATTRS_TEXT(i));
			}
		}
		append_trailing(out, FM_AST_COMMENTS(f)->trailing, prisma);
		fm_buf_append_char(out, '\n');
	}

	/*
	 * Prisma keeps only the comments right above a block attribute with it
	 * (they move with it when it is sorted); those before a blank line
	 * above it stay where they are among the fields (above the next field
	 * written after them, in the loop above), or after the fields, in the
	 * order written, a blank line before each run that had one.
	 */
	for (; prisma && floated < b->members.n; floated++)
		append_floating(out, b, floated, nfields, &nfloating);

	/*
	 * Prisma writes the comments that end a block before its block
	 * attributes, right after the fields.
	 */
	for (int k = 0; prisma && k < b->members.n && !comments_first; k++)
	{
		const FmAstMember *m = fm_list_get(&b->members, k, FmAstMember);

		comments_first = m->attr != NULL && m->field == NULL;
	}
	if (comments_first)
		append_block_trailing(out, b, nfields + nfloating, prisma);

	/* block attributes, after the fields (prisma: sorted, no blank lines) */
	for (int k = 0; k < b->members.n; k++)
	{
		int			i = order ? order[k] : k;
		const FmAstMember *m = fm_list_get(&b->members, i, FmAstMember);

		if (m->attr == NULL || m->field != NULL)
			continue;
		if ((nattrs == 0 && (nfields > 0 || nfloating > 0 || prisma)) ||
			(nattrs > 0 && FM_AST_COMMENTS(m)->blank_lines_before > 0 && !prisma))
			fm_buf_append_char(out, '\n');
		nattrs++;
		append_comment_lines(out, &FM_AST_COMMENTS(m)->leading,
							 prisma ? last_blank(&FM_AST_COMMENTS(m)->leading) + 1 : 0,
							 "  ", prisma);
		fm_buf_append(out, "  ");
		append_attribute(out, m->attr, raw);
		append_trailing(out, FM_AST_COMMENTS(m)->trailing, prisma);
		fm_buf_append_char(out, '\n');
	}

	/* comments before '}' (prisma: moved above the block attributes) */
	if (!comments_first)
		append_block_trailing(out, b, nfields + nattrs, prisma);
	fm_buf_append_char(out, '}');
	if (prisma)
	{
		fm_buf_append_char(out, '\n');
		append_end_comments(arena, out, b->end_comment);
	}
	else
	{
		append_trailing(out, b->end_comment, prisma);
		fm_buf_append_char(out, '\n');
	}
#undef TYPE_TEXT
#undef ATTRS_TEXT
}

/* has the i-th block of ast comments after its "}" on that line? */
static bool
ends_with_comment(const FmAstSchema *ast, int i)
{
	return fm_list_get(&ast->blocks, i, FmAstBlock)->end_comment != NULL;
}

/*
 * format_ast
 *		fm_ast_format() into a buffer in out_arena reserved for size_hint
 *		bytes (the length of the text parsed, when known: the output is
 *		about as long, and one buffer of the right size saves every copy of
 *		a growing one), in the layout of dialect (FM_DIALECT_AUTO: the
 *		schema's own): the prisma dialect's is Prisma's.  Every other
 *		allocation goes to arena, which may be out_arena.
 */
static char *
format_ast(FmArena *out_arena, FmArena *arena, const FmAstSchema *ast,
		   size_t size_hint, FmDialectKind dialect)
{
	FmBuf		out;
	FmBuf		scratch;
	bool		prisma = fm_ast_dialect(ast, dialect) == FM_DIALECT_PRISMA;
	RawStrings	raw = raw_strings_of(arena, ast, prisma);

	fm_buf_init(&out, out_arena);
	fm_buf_reserve(&out, size_hint);
	fm_buf_init(&scratch, arena);
	for (int i = 0; i < ast->blocks.n; i++)
	{
		const FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);

		/*
		 * a blank line between blocks; in Prisma's layout, after comments
		 * that followed the previous "}" on its line only when written
		 */
		if (i > 0 && !(prisma && ends_with_comment(ast, i - 1) &&
					   b->comments.blank_lines_before == 0 &&
					   !fm_list_get(&ast->blocks, i - 1, FmAstBlock)->end_comment_blank_after))
			fm_buf_append_char(&out, '\n');
		append_comment_lines(&out, &b->comments.leading, 0, "", prisma);
		format_block(arena, &out, &scratch, b, prisma, &raw);
	}
	if (ast->trailing_comments.n > 0)
	{
		int			from = 0;

		if (fm_list_get(&ast->trailing_comments, 0, char)[0] == '\0')
		{
			from = 1;
			if (ast->blocks.n > 0)
				fm_buf_append_char(&out, '\n');
		}
		else if (prisma && ast->blocks.n > 0 &&
				 !ends_with_comment(ast, ast->blocks.n - 1))
			fm_buf_append_char(&out, '\n');	/* Prisma: always after a block */
		append_comment_lines(&out, &ast->trailing_comments, from, "", prisma);
	}
	return out.data;
}

/*
 * fm_ast_format
 *		The canonical text of syntax tree ast in the ferriorm layout,
 *		allocated in arena.  See fm_format_schema.
 */
char *
fm_ast_format(FmArena *arena, const FmAstSchema *ast)
{
	return format_ast(arena, arena, ast, 0, FM_DIALECT_FERRIORM);
}

/* The same, in the layout of dialect (FM_DIALECT_PRISMA: Prisma's). */
char *
fm_ast_format_dialect(FmArena *arena, const FmAstSchema *ast, FmDialectKind dialect)
{
	return format_ast(arena, arena, ast, 0, dialect);
}

/*
 * fm_format_schema
 *		Parse text[0..len) and format it in the ferriorm layout; NULL when
 *		it has syntax errors (added to diags).  See fm_parse.h.
 */
char *
fm_format_schema(FmArena *arena, const char *text, size_t len,
				 FmDiagList *diags)
{
	return fm_format_schema_dialect(arena, text, len, FM_DIALECT_FERRIORM, diags);
}

/*
 * fm_format_schema_dialect
 *		Parse text[0..len) and format it in the layout of dialect.  The
 *		parse reuses the arrays that its lists and maps outgrow
 *		(fm_arena_set_recycle), and the output buffer is sized from len up
 *		front.  Returns the text, allocated in arena, or NULL
 *		when the text has syntax errors (added to diags); semantic errors
 *		do not prevent formatting.
 */
char *
fm_format_schema_dialect(FmArena *arena, const char *text, size_t len,
						 FmDialectKind dialect, FmDiagList *diags)
{
	return fm_format_schema_release(arena, text, len, dialect, diags, NULL);
}

/*
 * fm_format_schema_release
 *		fm_format_schema_dialect, calling release (when not NULL) once the
 *		text is parsed: the output is then built while the caller holds no
 *		copy of the input.  The syntax tree and the formatter's scratch
 *		live in an arena of their own, freed before returning, so that
 *		only the output (and diags) remain in arena: a caller that copies
 *		the output into a datum of its own does so without the tree.
 */
char *
fm_format_schema_release(FmArena *arena, const char *text, size_t len,
						 FmDialectKind dialect, FmDiagList *diags,
						 const FmTextRelease *release)
{
	FmArena    *tree = fm_arena_create_like(arena);
	FmAstSchema *ast;
	char	   *out = NULL;

	fm_arena_set_recycle(tree, true);
	ast = fm_ast_parse(tree, text, len, diags);
	fm_arena_set_recycle(tree, false);	/* the parse's alone, as before */
	fm_text_release(release);
	/* what Prisma's grammar skips, "prisma format" leaves out */
	if (fm_ast_dialect(ast, dialect) == FM_DIALECT_PRISMA)
		fm_ast_drop_brace_line(tree, ast, NULL);
	if (ast->nerrors == 0)
		out = format_ast(arena, tree, ast, len + len / 8 + 64, dialect);
	fm_arena_destroy(tree);
	return out;
}
