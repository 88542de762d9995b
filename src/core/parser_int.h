/*-------------------------------------------------------------------------
 *
 * parser_int.h
 *	  State shared by the two files of the schema-language parser.
 *
 * The parser is split by what it reads: parser.c owns the token stream,
 * error recovery, comments, blocks and members and the entry points;
 * parser_value.c owns values (strings, numbers, names, calls, lists,
 * objects), argument lists and attributes.  Both work on one Parser, much
 * as PostgreSQL's parse_utilcmd.c shares its CreateStmtContext between the
 * transform functions.  Nothing here is part of the core's interface.
 *
 * src/core/parser_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_PARSER_INT_H
#define FM_PARSER_INT_H

#include <string.h>

#include "fm_ast.h"
#include "fm_lexer.h"

/* how deeply brackets may nest before the group is skipped */
#define FM_MAX_NESTING 64
/* tokens of lookahead: "name Type" and "key:" need two, recovery three */
#define LOOKAHEAD 3

/*
 * The parser's state.  All memory comes from keep and lives as long as the
 * tree, except the nodes of model blocks when the tree is parsed by block
 * (node_arenas set): those come from arena, an arena of a chunk of
 * consecutive model blocks (FmAstBlock.nodes), which the validator frees
 * once it has read them.  Strings, messages, comments, the blocks
 * themselves and the lists being built are always in keep; a field's
 * @relation is in relations, which the validator frees after pairing the
 * relations.
 */
typedef struct Parser
{
	FmArena    *arena;			/* nodes of the current block */
	FmArena    *keep;			/* everything else */
	FmList	   *node_arenas;	/* FmAstSchema.node_arenas, or NULL */
	FmArena    *relations;		/* fields' @relation: FmAstSchema.relations
								 * when by block, else keep */
	FmLexer		lx;
	FmSyntaxErrs errs;
	FmToken		la[LOOKAHEAD];
	int			nla;
	int			depth;
	FmList	   *sink;			/* where comments inside brackets go */
	FmList	   *commas;			/* FmAstSchema.trailing_commas */
	FmList	   *exponents;		/* FmAstSchema.exponent_numbers */
	FmList	   *raw_strings;	/* FmAstSchema.raw_strings, or NULL */
	FmList	   *multiline;		/* FmAstSchema.multiline */
	FmSrcPos	outer_open;		/* the outermost open bracket (depth > 0) */
	bool		outer_noted;	/* outer_open is in multiline already */
	bool		layout;			/* keep FmAstBlock.members (the formatter) */
	bool		after_end_comment;	/* top level: the block just parsed has
									 * comments after its "}", which a
									 * comment on the next line continues */
	bool		last_blank_after;	/* line_comments: FmToken.blank_after of
									 * the last comment it took */
	FmBuf		dotted;			/* fm_parse_dotted's, reused */
	/*
	 * Lists being built, copied into an array of exactly their length in
	 * the arena when they end (fm_parser_take), so that the tree holds no
	 * array a list outgrew nor the unused end of one: the arguments and
	 * items of the brackets open (nested: each level takes its own from a
	 * mark up), the attributes of the field being parsed, the fields and
	 * attributes of the block being parsed.
	 */
	FmList		scratch;
	FmList		field_attrs;
	FmList		block_fields;
	FmList		block_attrs;
} Parser;

/*
 * What an element is called in messages (prefix "marker+name" in quotes:
 * attribute "@@index", field "id").  Built for every element, formatted
 * only when a message needs it (fm_parser_what_text).
 */
typedef struct What
{
	const char *prefix;			/* "field ", "attribute ", "" */
	const char *marker;			/* "@", "@@", "" */
	const char *name;
} What;

/* A group of comment lines being collected before an element. */
typedef struct CommentGroup
{
	FmList		lines;
	bool		blank_before;
	bool		blank_after;	/* the last line is a block comment with
								 * blanks after it (FmToken.blank_after):
								 * as if an empty line followed */
} CommentGroup;

#define perror_at(p, pos, ...) fm_syntax_error(&(p)->errs, (pos), __VA_ARGS__)

/* ---------- the token stream (hot: inline) ---------- */

/*
 * The token stream.  The current token is always read (la[0], nla >= 1:
 * parse_text reads the first one, advance the next as it consumes one),
 * so that asking for it, several times a token, is a load, not a test;
 * tokens beyond it are read on demand (peek).  The lexer's messages about
 * a token thus come out as the token before it is consumed: the parser
 * reports nothing between consuming a token and looking at the next one,
 * so messages keep the order reading on demand gave them.
 */

/* the k-th token ahead (0: the current one), read on demand */
static inline FmToken *
peek(Parser *p, int k)
{
	while (p->nla <= k)
		fm_lexer_next(&p->lx, &p->la[p->nla++]);
	return &p->la[k];
}

/* the current token: peek(p, 0), which is always read */
static inline FmToken *
cur(Parser *p)
{
	return &p->la[0];
}

/*
 * Consume the current token and read the next one; end of input is never
 * consumed.  A token the caller holds (cur) is overwritten.
 */
static inline void
advance(Parser *p)
{
	if (p->la[0].kind == FM_TOK_EOF)
		return;
	if (p->nla > 1)				/* most often nothing was peeked beyond */
	{
		p->nla--;
		memmove(&p->la[0], &p->la[1], sizeof(FmToken) * (size_t) p->nla);
	}
	else
		fm_lexer_next(&p->lx, &p->la[0]);	/* nla stays 1 */
}

static inline bool
at(Parser *p, FmTokKind kind)
{
	return cur(p)->kind == kind;
}

static inline What
what_of(const char *prefix, const char *marker, const char *name)
{
	What		w;

	w.prefix = prefix;
	w.marker = marker;
	w.name = name;
	return w;
}

/* parser.c: messages and recovery */
extern const char *fm_parser_shown(Parser *p, const char *s);
extern const char *fm_parser_describe(Parser *p, const FmToken *t);
extern const char *fm_parser_what_text(Parser *p, const What *w);
extern void fm_parser_skip_nl_run(Parser *p);
extern bool fm_parser_too_deep(Parser *p, FmSrcPos pos);

/*
 * Inside brackets: skip line ends and comments (fm_parser_skip_nl_run);
 * inline, since most of the places that ask have neither before them.
 */
static inline void
fm_parser_skip_nl(Parser *p)
{
	FmTokKind	k = cur(p)->kind;

	if (k == FM_TOK_NEWLINE || k == FM_TOK_COMMENT)
		fm_parser_skip_nl_run(p);
}

/*
 * Inside brackets, does the next line look like the next member ("name
 * Type", "@@attr")?  Then the brackets were left open.
 */
static inline bool
fm_parser_new_member_here(Parser *p)
{
	FmToken    *t = cur(p);

	if (!t->first_on_line)
		return false;
	return t->kind == FM_TOK_ATAT ||
		(t->kind == FM_TOK_IDENT && peek(p, 1)->kind == FM_TOK_IDENT);
}

/*
 * fm_parser_enter
 *		Enter one more level of brackets at pos.  True when that is allowed
 *		(the caller decrements p->depth when it leaves); false, after
 *		reporting an error and skipping the whole group that is too deep
 *		(fm_parser_too_deep), when FM_MAX_NESTING levels are already open.
 *		Inline: every argument list and list goes through it.
 */
static inline bool
fm_parser_enter(Parser *p, FmSrcPos pos)
{
	if (p->depth >= FM_MAX_NESTING)
		return fm_parser_too_deep(p, pos);
	if (p->depth == 0)
	{
		p->outer_open = pos;
		p->outer_noted = false;
	}
	p->depth++;
	return true;
}

/*
 * fm_parser_take
 *		Move the items of scratch list from, from index mark on, to out (an
 *		empty list) in an array of exactly their number allocated in the
 *		arena (none when there is none), and cut from back to mark.  Inline:
 *		every argument list and every field ends with one.
 */
static inline void
fm_parser_take(Parser *p, FmList *from, int mark, FmList *out)
{
	int			n = from->n - mark;

	if (n <= 0)
		return;
	out->items = fm_alloc(p->arena, sizeof(void *) * (size_t) n);
	/* a few items as a rule: a loop, not a call of memcpy */
	for (int i = 0; i < n; i++)
		out->items[i] = from->items[mark + i];
	out->n = n;
	out->cap = n;
	from->n = mark;
}

/* parser_comments.c: comments before, after and inside elements */
extern void fm_parser_group_add(Parser *p, CommentGroup *g, const FmToken *t);
extern void fm_parser_group_take_lines(Parser *p, CommentGroup *g,
									   FmAstComments *c, const FmToken *next);

/*
 * fm_parser_group_take
 *		Attach the comments collected in g to the element starting at token
 *		next, as c (which is overwritten), and empty g.  Most elements have
 *		none before them: that case is inline, the others go to
 *		fm_parser_group_take_lines.
 */
static inline void
fm_parser_group_take(Parser *p, CommentGroup *g, FmAstComments *c,
					 const FmToken *next)
{
	if (g->lines.n > 0)
	{
		fm_parser_group_take_lines(p, g, c, next);
		return;
	}
	memset(c, 0, sizeof(*c));
	c->blank_lines_before = next->blank_before ? 1 : 0;
	memset(g, 0, sizeof(*g));
}
extern FmList fm_parser_group_list(Parser *p, CommentGroup *g);
extern char *fm_parser_line_comments(Parser *p, FmAstComments *c);
extern void fm_parser_take_trailing(Parser *p, FmAstComments *c);

/* parser_value.c: values, arguments, attributes */
extern FmAstValue *fm_parser_value(Parser *p);
extern bool fm_parser_args(Parser *p, FmList *out, const What *what);
extern FmAstAttribute *fm_parser_attribute(Parser *p);

#endif							/* FM_PARSER_INT_H */
