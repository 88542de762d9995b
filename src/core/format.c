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
 * src/core/format.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_ast.h"
#include "fm_parse.h"

#include <string.h>

static void append_value(FmBuf *out, const FmAstValue *v);

/* Width in characters (code points) of UTF-8 text. */
static size_t
text_width(const char *s)
{
	size_t		w = 0;

	for (; *s; s++)
		if (((unsigned char) *s & 0xC0) != 0x80)
			w++;
	return w;
}

static void
pad_to(FmBuf *out, size_t line_start, size_t width)
{
	size_t		w = text_width(out->data + line_start);

	while (w < width)
	{
		fm_buf_append_char(out, ' ');
		w++;
	}
}

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

static void
append_args(FmBuf *out, const FmList *args)
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
		append_value(out, a->value);
	}
}

static void
append_value(FmBuf *out, const FmAstValue *v)
{
	if (v == NULL)
		return;
	switch (v->kind)
	{
		case FM_VAL_STRING:
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
				append_value(out, fm_list_get(&v->items, i, FmAstValue));
			}
			fm_buf_append_char(out, ']');
			break;
		case FM_VAL_CALL:
			fm_buf_append(out, v->text ? v->text : "");
			fm_buf_append_char(out, '(');
			append_args(out, &v->args);
			fm_buf_append_char(out, ')');
			break;
		case FM_VAL_OBJECT:
			/* Prisma's spelling: { a: 1, b: { not: null } }, {} when empty */
			fm_buf_append_char(out, '{');
			if (v->args.n > 0)
			{
				fm_buf_append_char(out, ' ');
				append_args(out, &v->args);
				fm_buf_append_char(out, ' ');
			}
			fm_buf_append_char(out, '}');
			break;
	}
}

static void
append_attribute(FmBuf *out, const FmAstAttribute *a)
{
	fm_buf_append(out, a->block ? "@@" : "@");
	fm_buf_append(out, a->name ? a->name : "");
	if (a->has_parens)
	{
		fm_buf_append_char(out, '(');
		append_args(out, &a->args);
		fm_buf_append_char(out, ')');
	}
}

/* Comment lines at an indentation; "" is a blank line. */
static void
append_comment_lines(FmBuf *out, const FmList *lines, int from, const char *indent)
{
	for (int i = from; i < lines->n; i++)
	{
		const char *line = fm_list_get(lines, i, char);

		if (line[0] == '\0')
			fm_buf_append_char(out, '\n');
		else
		{
			fm_buf_append(out, indent);
			fm_buf_append(out, line);
			fm_buf_append_char(out, '\n');
		}
	}
}

static void
append_trailing(FmBuf *out, const char *comment)
{
	if (comment)
	{
		fm_buf_append_char(out, ' ');
		fm_buf_append(out, comment);
	}
}

static char *
field_type(FmArena *arena, const FmAstField *f)
{
	FmBuf		b;

	fm_buf_init(&b, arena);
	fm_buf_append(&b, "");
	if (f->type_name == NULL)
		return b.data;
	fm_buf_append(&b, f->type_name);
	if (f->type_has_parens || f->type_args.n > 0)
	{
		fm_buf_append_char(&b, '(');
		append_args(&b, &f->type_args);
		fm_buf_append_char(&b, ')');
	}
	if (f->list)
		fm_buf_append(&b, "[]");
	if (f->optional)
		fm_buf_append_char(&b, '?');
	return b.data;
}

static char *
field_attrs(FmArena *arena, const FmAstField *f)
{
	FmBuf		b;

	fm_buf_init(&b, arena);
	fm_buf_append(&b, "");
	for (int i = 0; i < f->attrs.n; i++)
	{
		if (i > 0)
			fm_buf_append_char(&b, ' ');
		append_attribute(&b, fm_list_get(&f->attrs, i, FmAstAttribute));
	}
	return b.data;
}

/*
 * format_block
 *		Append block b to out in canonical layout: the header line, then the
 *		members in two passes (the widths of the name, type and key columns
 *		are measured first, then every field, enum value or key = value entry
 *		is written aligned to them), then the block attributes after a blank
 *		line, the comments before "}" and the closing brace.  Single blank
 *		lines between members and every comment are kept.
 */
static void
format_block(FmArena *arena, FmBuf *out, const FmAstBlock *b)
{
	int			nfields = 0;
	int			nattrs = 0;
	size_t		name_w = 0;
	size_t		type_w = 0;
	size_t		key_w = 0;
	char	  **types;
	char	  **attrs;

	fm_buf_append(out, b->keyword ? b->keyword : "");
	fm_buf_append_char(out, ' ');
	fm_buf_append(out, b->name ? b->name : "");
	fm_buf_append(out, " {");
	append_trailing(out, b->comments.trailing);
	fm_buf_append_char(out, '\n');

	/* columns */
	types = fm_alloc(arena, sizeof(char *) * (size_t) (b->members.n + 1));
	attrs = fm_alloc(arena, sizeof(char *) * (size_t) (b->members.n + 1));
	for (int i = 0; i < b->members.n; i++)
	{
		const FmAstMember *m = fm_list_get(&b->members, i, FmAstMember);
		const FmAstField *f = m->field;
		size_t		w;

		if (f == NULL)
			continue;
		types[i] = field_type(arena, f);
		attrs[i] = field_attrs(arena, f);
		w = text_width(f->name ? f->name : "");
		if (f->value)
		{
			if (w > key_w)
				key_w = w;
			continue;
		}
		if ((types[i][0] || attrs[i][0]) && w > name_w)
			name_w = w;
		if (types[i][0] && text_width(types[i]) > type_w)
			type_w = text_width(types[i]);
	}

	/* fields, enum values, key = value entries */
	for (int i = 0; i < b->members.n; i++)
	{
		const FmAstMember *m = fm_list_get(&b->members, i, FmAstMember);
		const FmAstField *f = m->field;
		size_t		start;

		if (f == NULL)
			continue;
		if (nfields > 0 && f->comments.blank_lines_before > 0)
			fm_buf_append_char(out, '\n');
		nfields++;
		append_comment_lines(out, &f->comments.leading, 0, "  ");
		fm_buf_append(out, "  ");
		start = out->len;
		fm_buf_append(out, f->name ? f->name : "");
		if (f->value)
		{
			pad_to(out, start, key_w);
			fm_buf_append(out, " = ");
			append_value(out, f->value);
		}
		else
		{
			if (types[i][0])
			{
				pad_to(out, start, name_w);
				fm_buf_append_char(out, ' ');
				fm_buf_append(out, types[i]);
			}
			if (attrs[i][0])
			{
				pad_to(out, start, types[i][0] ? name_w + 1 + type_w : name_w);
				fm_buf_append_char(out, ' ');
				fm_buf_append(out, attrs[i]);
			}
		}
		append_trailing(out, f->comments.trailing);
		fm_buf_append_char(out, '\n');
	}

	/* block attributes, after the fields */
	for (int i = 0; i < b->members.n; i++)
	{
		const FmAstMember *m = fm_list_get(&b->members, i, FmAstMember);

		if (m->attr == NULL || m->field != NULL)
			continue;
		if ((nattrs == 0 && nfields > 0) ||
			(nattrs > 0 && m->comments.blank_lines_before > 0))
			fm_buf_append_char(out, '\n');
		nattrs++;
		append_comment_lines(out, &m->comments.leading, 0, "  ");
		fm_buf_append(out, "  ");
		append_attribute(out, m->attr);
		append_trailing(out, m->comments.trailing);
		fm_buf_append_char(out, '\n');
	}

	/* comments before '}' */
	if (b->trailing_comments.n > 0)
	{
		int			from = 0;

		if (fm_list_get(&b->trailing_comments, 0, char)[0] == '\0')
		{
			from = 1;
			if (nfields + nattrs > 0)
				fm_buf_append_char(out, '\n');
		}
		append_comment_lines(out, &b->trailing_comments, from, "  ");
	}
	fm_buf_append_char(out, '}');
	append_trailing(out, b->end_comment);
	fm_buf_append_char(out, '\n');
}

char *
fm_ast_format(FmArena *arena, const FmAstSchema *ast)
{
	FmBuf		out;

	fm_buf_init(&out, arena);
	fm_buf_append(&out, "");
	for (int i = 0; i < ast->blocks.n; i++)
	{
		const FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);

		if (i > 0)
			fm_buf_append_char(&out, '\n');
		append_comment_lines(&out, &b->comments.leading, 0, "");
		format_block(arena, &out, b);
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
		append_comment_lines(&out, &ast->trailing_comments, from, "");
	}
	return out.data;
}

char *
fm_format_schema(FmArena *arena, const char *text, size_t len,
				 FmDiagList *diags)
{
	FmAstSchema *ast = fm_ast_parse(arena, text, len, diags);

	if (ast->nerrors > 0)
		return NULL;
	return fm_ast_format(arena, ast);
}
