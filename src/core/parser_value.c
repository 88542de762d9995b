/*-------------------------------------------------------------------------
 *
 * parser_value.c
 *	  Values, argument lists and attributes of the schema language.
 *
 * Design note.  The grammar of a value is the part of the language that
 * nests: a call's arguments hold values, lists hold values, objects (the
 * where: argument of a partial index) hold keyed values.  Every level of
 * brackets goes through fm_parser_enter(), which caps nesting at
 * FM_MAX_NESTING and skips a group that is too deep without recursion, so
 * the stack stays bounded on any input.  Inside brackets line ends are
 * blanks and comments go to the parser's sink (the element being parsed
 * keeps them); a closing bracket that is missing is diagnosed when the
 * next line looks like the next member (fm_parser_new_member_here), so one
 * unclosed "(" costs one error, not one per following line.  Every
 * function returns NULL or false after reporting an error; the caller then
 * recovers at its own level (parser.c).
 *
 * The block structure around values (models, fields, comments, recovery)
 * is in parser.c; the state both share is in parser_int.h.
 *
 * src/core/parser_value.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_ast.h"
#include "fm_lexer.h"
#include "parser_int.h"

#include <stdlib.h>
#include <string.h>

/* ---------- values ---------- */

/*
 * The name so far of parse_dotted_rest, NUL-terminated, for a message:
 * buf's when its parts were apart, else the text of the input from first_off
 * to end.
 */
static const char *
dotted_so_far(Parser *p, bool apart, size_t first_off, size_t end)
{
	if (apart)
		return p->dotted.data;
	return fm_strndup(p->keep, (const char *) p->lx.start + first_off,
					  end - first_off);
}

/*
 * Start p->dotted with the part of a dotted name read so far, the input
 * from first_off to end: its parts are apart (blanks between them).
 */
static void
dotted_to_buf(Parser *p, size_t first_off, size_t end)
{
	FmBuf	   *buf = &p->dotted;

	if (buf->arena == NULL)
		fm_buf_init(buf, p->keep);
	fm_buf_reset(buf);
	fm_buf_append_len(buf, (const char *) p->lx.start + first_off,
					  end - first_off);
}

/*
 * The rest of a dotted name ("db" "." "VarChar": parse_dotted), its first
 * name, of *len bytes at byte first_off of the input, consumed and the
 * current token a ".": the whole name, interned, its length in *len; NULL
 * after an error.  A name written in one piece, as nearly all are, is
 * interned from the input as it stands; one with blanks between its parts
 * is put together in p->dotted.
 */
static char *
parse_dotted_rest(Parser *p, const char *kind, const char *marker,
				  size_t first_off, size_t *len)
{
	FmBuf	   *buf = &p->dotted;
	size_t		end = first_off + *len; /* of the name so far */
	bool		apart = false;	/* the name is in buf, not the input */

	while (at(p, FM_TOK_DOT))
	{
		FmToken    *t;

		if (!apart && cur(p)->off != end)
		{
			dotted_to_buf(p, first_off, end);
			apart = true;
		}
		advance(p);
		t = cur(p);
		if (t->kind != FM_TOK_IDENT)
		{
			perror_at(p, t->pos, "expected a name after \".\" in %s\"%s%s\", found %s",
					  kind, marker,
					  fm_parser_shown(p, dotted_so_far(p, apart, first_off, end)),
					  fm_parser_describe(p, t));
			return NULL;
		}
		if (!apart && t->off != end + 1)
		{
			dotted_to_buf(p, first_off, end);
			apart = true;
		}
		if (apart)
		{
			fm_buf_append_char(buf, '.');
			fm_buf_append_len(buf, t->text, t->text_len);
		}
		else
			end = t->off + t->text_len;
		advance(p);
	}
	/* held once, like the names it is made of ("db.VarChar") */
	if (apart)
	{
		*len = buf->len;
		return fm_intern(p->keep, &p->lx.names, buf->data, buf->len);
	}
	*len = end - first_off;
	return fm_intern(p->keep, &p->lx.names,
					 (const char *) p->lx.start + first_off, *len);
}

/*
 * IDENT ( '.' IDENT )*, current token is an IDENT: the name, its length
 * in *len; NULL after an error.  Inline: the common case is one name,
 * taken as it is, without a copy.
 */
static inline char *
parse_dotted(Parser *p, const char *kind, const char *marker, size_t *len)
{
	char	   *first = cur(p)->text;
	size_t		first_off = cur(p)->off;

	*len = cur(p)->text_len;
	advance(p);
	if (!at(p, FM_TOK_DOT))
		return first;
	return parse_dotted_rest(p, kind, marker, first_off, len);
}

typedef struct NamedArg
{
	FmAstArg   *arg;
	int			idx;
} NamedArg;

/* qsort order of NamedArg: by name, then by position in the list. */
static int
named_arg_cmp(const void *a, const void *b)
{
	const NamedArg *x = a;
	const NamedArg *y = b;
	int			c = strcmp(x->arg->name, y->arg->name);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : (x->idx > y->idx);
}

/* report the duplicate argument a of what (check_duplicate_args) */
static void
report_duplicate_arg(Parser *p, const FmAstArg *a, const What *what)
{
	perror_at(p, a->pos, "duplicate argument \"%s\" in %s",
			  fm_parser_shown(p, a->name), fm_parser_what_text(p, what));
}

/*
 * check_duplicate_args
 *		Report every named argument of args whose name another argument
 *		before it already uses ("duplicate argument"), in source order,
 *		naming the owner what.  The few arguments of an attribute (16 at
 *		most) are compared pair by pair; argument names are token texts,
 *		interned, so that a repeated name is most often one pointer.  A
 *		longer list is sorted, in a copy in the parser's arena, which keeps
 *		it O(n log n).
 */
static void
check_duplicate_args(Parser *p, const FmList *args, const What *what)
{
	NamedArg   *named;
	bool	   *dup;
	int			n = 0;

	if (args->n < 2)
		return;
	if (args->n <= 16)
	{
		for (int i = 1; i < args->n; i++)
		{
			FmAstArg   *a = fm_list_get(args, i, FmAstArg);

			if (a->name == NULL)
				continue;
			for (int j = 0; j < i; j++)
			{
				FmAstArg   *b = fm_list_get(args, j, FmAstArg);

				if (b->name != NULL && fm_streq(a->name, b->name))
				{
					report_duplicate_arg(p, a, what);
					break;
				}
			}
		}
		return;
	}
	named = fm_alloc(p->arena, sizeof(NamedArg) * (size_t) args->n);
	for (int i = 0; i < args->n; i++)
	{
		FmAstArg   *a = fm_list_get(args, i, FmAstArg);

		if (a->name)
		{
			named[n].arg = a;
			named[n].idx = i;
			n++;
		}
	}
	if (n < 2)
		return;
	qsort(named, (size_t) n, sizeof(NamedArg), named_arg_cmp);
	/* report in source order: mark, then walk the list */
	dup = fm_alloc(p->arena, sizeof(bool) * (size_t) args->n);
	for (int i = 1; i < n; i++)
		if (strcmp(named[i].arg->name, named[i - 1].arg->name) == 0)
			dup[named[i].idx] = true;
	for (int i = 0; i < args->n; i++)
		if (dup[i])
			report_duplicate_arg(p, fm_list_get(args, i, FmAstArg), what);
}

/*
 * A comma at pos (line 0: none) came right before the closing bracket:
 * kept in the tree (FmAstSchema.trailing_commas) for the prisma dialect,
 * which rejects it as Prisma does.
 */
static void
note_trailing_comma(Parser *p, FmSrcPos pos)
{
	FmSrcPos   *at;

	if (pos.line == 0 || p->commas == NULL)
		return;
	at = fm_alloc(p->keep, sizeof(FmSrcPos));
	*at = pos;
	fm_list_append(p->keep, p->commas, at);
}

/*
 * '(' [arg {',' arg} [',']] ')' ; arg = [IDENT ':'] value.  what names the
 * owner for messages ("attribute \"@default\"").  Returns false after an
 * error.
 */
static bool
parse_args_inner(Parser *p, const What *what)
{
	FmToken    *t;
	FmSrcPos	comma = {0};	/* of the last comma; line 0: none */

	advance(p);					/* '(' */
	for (;;)
	{
		FmAstArg   *arg;

		fm_parser_skip_nl(p);
		if (at(p, FM_TOK_RPAREN))
		{
			note_trailing_comma(p, comma);
			advance(p);
			break;
		}
		arg = fm_alloc(p->arena, sizeof(FmAstArg));
		t = cur(p);
		arg->pos = t->pos;
		if (t->kind == FM_TOK_IDENT && peek(p, 1)->kind == FM_TOK_COLON)
		{
			arg->name = t->text;
			advance(p);
			advance(p);
			fm_parser_skip_nl(p);
		}
		else if (t->kind == FM_TOK_EOF || t->kind == FM_TOK_RBRACE ||
				 fm_parser_new_member_here(p))
		{
			perror_at(p, t->pos, "expected \")\" to close the arguments of %s, found %s",
					  fm_parser_what_text(p, what), fm_parser_describe(p, t));
			return false;
		}
		arg->value = fm_parser_value(p);
		if (arg->value == NULL)
			return false;
		fm_list_append(p->keep, &p->scratch, arg);
		fm_parser_skip_nl(p);
		t = cur(p);
		if (t->kind == FM_TOK_COMMA)
		{
			comma = t->pos;
			advance(p);
			continue;
		}
		if (t->kind == FM_TOK_RPAREN)
		{
			advance(p);
			break;
		}
		if (t->kind == FM_TOK_EOF || t->kind == FM_TOK_RBRACE || t->first_on_line)
			perror_at(p, t->pos, "expected \")\" to close the arguments of %s, found %s",
					  fm_parser_what_text(p, what), fm_parser_describe(p, t));
		else
			perror_at(p, t->pos, "expected \",\" or \")\" in the arguments of %s, found %s",
					  fm_parser_what_text(p, what), fm_parser_describe(p, t));
		return false;
	}
	return true;
}

/*
 * fm_parser_args
 *		Parse an argument list, the current token being "(", into out (one
 *		FmAstArg per argument, allocated in the arena), counting it as one
 *		level of nesting; what names the owner in messages.  Duplicate named
 *		arguments are reported.  False after a syntax error, which has been
 *		reported; the caller then recovers.
 */
bool
fm_parser_args(Parser *p, FmList *out, const What *what)
{
	bool		ok;
	int			mark = p->scratch.n;

	if (!fm_parser_enter(p, cur(p)->pos))
		return false;
	ok = parse_args_inner(p, what);
	fm_parser_take(p, &p->scratch, mark, out);
	p->depth--;
	if (ok)
		check_duplicate_args(p, out, what);
	return ok;
}

/* '[' [value {',' value} [',']] ']' */
static bool
parse_array(Parser *p)
{
	FmToken    *t;
	FmSrcPos	comma = {0};	/* of the last comma; line 0: none */

	advance(p);
	for (;;)
	{
		FmAstValue *item;

		fm_parser_skip_nl(p);
		t = cur(p);
		if (t->kind == FM_TOK_RBRACKET)
		{
			note_trailing_comma(p, comma);
			advance(p);
			break;
		}
		if (t->kind == FM_TOK_EOF || t->kind == FM_TOK_RBRACE || fm_parser_new_member_here(p))
		{
			perror_at(p, t->pos, "expected \"]\" to close the list, found %s",
					  fm_parser_describe(p, t));
			return false;
		}
		item = fm_parser_value(p);
		if (item == NULL)
			return false;
		fm_list_append(p->keep, &p->scratch, item);
		fm_parser_skip_nl(p);
		t = cur(p);
		if (t->kind == FM_TOK_COMMA)
		{
			comma = t->pos;
			advance(p);
			continue;
		}
		if (t->kind == FM_TOK_RBRACKET)
		{
			advance(p);
			break;
		}
		if (t->kind == FM_TOK_EOF || t->kind == FM_TOK_RBRACE || t->first_on_line)
			perror_at(p, t->pos, "expected \"]\" to close the list, found %s",
					  fm_parser_describe(p, t));
		else
			perror_at(p, t->pos, "expected \",\" or \"]\" in the list, found %s",
					  fm_parser_describe(p, t));
		return false;
	}
	return true;
}

/*
 * '{' [key ':' value {',' key ':' value} [',']] '}' onto p->scratch (each
 * FmAstArg named by its key): the object form of Prisma's where: argument
 * (partial indexes).  False after an error.
 */
static bool
parse_object(Parser *p)
{
	FmToken    *t;

	advance(p);					/* '{' */
	for (;;)
	{
		FmAstArg   *arg;

		fm_parser_skip_nl(p);
		t = cur(p);
		if (t->kind == FM_TOK_RBRACE)
		{
			advance(p);
			break;
		}
		if (t->kind != FM_TOK_IDENT || peek(p, 1)->kind != FM_TOK_COLON)
		{
			perror_at(p, t->pos, "expected a key and \":\" in the object, found %s",
					  fm_parser_describe(p, t));
			return false;
		}
		arg = fm_alloc(p->arena, sizeof(FmAstArg));
		arg->pos = t->pos;
		arg->name = t->text;
		advance(p);
		advance(p);
		fm_parser_skip_nl(p);
		arg->value = fm_parser_value(p);
		if (arg->value == NULL)
			return false;
		fm_list_append(p->keep, &p->scratch, arg);
		fm_parser_skip_nl(p);
		t = cur(p);
		if (t->kind == FM_TOK_COMMA)
		{
			advance(p);
			continue;
		}
		if (t->kind == FM_TOK_RBRACE)
		{
			advance(p);
			break;
		}
		perror_at(p, t->pos, "expected \",\" or \"}\" in the object, found %s",
				  fm_parser_describe(p, t));
		return false;
	}
	return true;
}

/* Does the number text[0..len) have an exponent ("1e5")? */
static inline bool
has_exponent(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] == 'e' || text[i] == 'E')
			return true;
	return false;
}

/*
 * A new value of kind at pos, in the parser's arena: a STRING, NUMBER or
 * IDENT without the union it does not use (fm_ast.h).
 */
static FmAstValue *
new_value(Parser *p, FmAstValueKind kind, FmSrcPos pos)
{
	FmAstValue *v;

	if (kind == FM_VAL_STRING || kind == FM_VAL_NUMBER || kind == FM_VAL_IDENT)
		v = fm_alloc(p->arena, FM_AST_SCALAR_VALUE_SIZE);
	else
		v = fm_alloc(p->arena, sizeof(FmAstValue));
	v->kind = kind;
	v->pos = pos;
	return v;
}

/*
 * fm_parser_value
 *		Parse one value at the current token: a string, a number, a dotted
 *		name, a call with arguments, a list in brackets or an object in
 *		braces.  Returns the new node (in the parser's arena), or NULL after
 *		a syntax error, which has been reported.
 */
FmAstValue *
fm_parser_value(Parser *p)
{
	FmToken    *t = cur(p);
	FmSrcPos	pos = t->pos;
	FmAstValue *v;
	char	   *text;
	size_t		len;
	bool		ok;
	int			mark = p->scratch.n;

	switch (t->kind)
	{
		case FM_TOK_STRING:
			v = new_value(p, FM_VAL_STRING, pos);
			v->text = t->text;
			v->text_len = (uint32_t) t->text_len;
			if (p->raw_strings && t->raw &&
				(t->raw_len != t->text_len + 2 ||
				 memcmp(t->raw + 1, t->text, t->text_len) != 0))
			{
				FmAstRawString *r = fm_alloc(p->keep, sizeof(FmAstRawString));

				r->value = v;
				r->raw = fm_strndup(p->keep, t->raw, t->raw_len);
				fm_list_append(p->keep, p->raw_strings, r);
			}
			advance(p);
			return v;
		case FM_TOK_NUMBER:
			v = new_value(p, FM_VAL_NUMBER, pos);
			v->text = t->text;
			v->text_len = (uint32_t) t->text_len;
			/* kept for the prisma dialect, whose grammar has no exponent */
			if (p->exponents && has_exponent(v->text, t->text_len))
				fm_list_append(p->keep, p->exponents, v);
			advance(p);
			return v;
		case FM_TOK_IDENT:
			text = parse_dotted(p, "", "", &len);
			if (text == NULL)
				return NULL;
			if (at(p, FM_TOK_LPAREN))
			{
				What		w = what_of("function ", "", text);

				v = new_value(p, FM_VAL_CALL, pos);
				v->text = text;
				v->text_len = (uint32_t) len;
				if (!fm_parser_args(p, &v->args, &w))
					return NULL;
			}
			else
			{
				v = new_value(p, FM_VAL_IDENT, pos);
				v->text = text;
				v->text_len = (uint32_t) len;
			}
			return v;
		case FM_TOK_LBRACKET:
			v = new_value(p, FM_VAL_ARRAY, pos);
			if (!fm_parser_enter(p, pos))
				return NULL;
			ok = parse_array(p);
			fm_parser_take(p, &p->scratch, mark, &v->items);
			p->depth--;
			return ok ? v : NULL;
		case FM_TOK_LBRACE:
			v = new_value(p, FM_VAL_OBJECT, pos);
			if (!fm_parser_enter(p, pos))
				return NULL;
			ok = parse_object(p);
			fm_parser_take(p, &p->scratch, mark, &v->args);
			p->depth--;
			return ok ? v : NULL;
		default:
			perror_at(p, pos, "expected a value, found %s", fm_parser_describe(p, t));
			return NULL;
	}
}

/* ---------- attributes ---------- */

/*
 * fm_parser_attribute
 *		'@' or '@@' name ['(' args ')']; NULL after an error.
 *
 * A field's @relation is allocated, arguments and all, in the parser's
 * relations arena, not with the other nodes of its block: the validator
 * reads it when it pairs relations, after it has freed the block's nodes
 * (FmAstBlock.nodes).
 */
FmAstAttribute *
fm_parser_attribute(Parser *p)
{
	FmToken    *t = cur(p);
	FmAstAttribute *a;
	FmArena    *nodes = p->arena;
	FmSrcPos	pos = t->pos;
	bool		block = t->kind == FM_TOK_ATAT;
	const char *marker = block ? "@@" : "@";
	char	   *name;
	size_t		len;
	bool		ok = true;

	advance(p);
	t = cur(p);
	if (t->kind != FM_TOK_IDENT)
	{
		perror_at(p, t->pos, "expected an attribute name after \"%s\", found %s",
				  marker, fm_parser_describe(p, t));
		return NULL;
	}
	name = parse_dotted(p, "attribute ", marker, &len);
	if (name == NULL)
		return NULL;
	if (!block && p->arena != p->keep && fm_streq(name, "relation"))
		p->arena = p->relations;	/* a field's, in a model block's chunk */
	a = fm_alloc(p->arena, sizeof(FmAstAttribute));
	a->pos = pos;
	a->block = block;
	a->name = name;
	if (at(p, FM_TOK_LPAREN))
	{
		What		w = what_of("attribute ", marker, a->name);

		a->has_parens = true;
		ok = fm_parser_args(p, &a->args, &w);
	}
	p->arena = nodes;
	return ok ? a : NULL;
}
