/*-------------------------------------------------------------------------
 *
 * parser_comments.c
 *	  Comments of the schema language's syntax tree, for the parser.
 *
 * The parser (parser.c) meets comment tokens between elements; this file
 * collects the comment lines before an element into a CommentGroup and
 * attaches them to the element that follows (its leading lines and its
 * "///" doc), to the end of a block or of the text (trailing lists), or,
 * for the comments after an element on its own line, to its trailing
 * comment.  The layout (blank lines, the blanks before a block comment
 * that continues a run) is kept so that the formatter can print it back
 * as Prisma's formatter does.
 *
 * src/core/parser_comments.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_ast.h"
#include "fm_lexer.h"
#include "parser_int.h"

#include <string.h>

/*
 * fm_parser_group_add
 *		Add comment token t to the group being collected before an element,
 *		in the arena; a blank line before t inside the group is kept as an
 *		empty line, so that the layout survives formatting.
 */
void
fm_parser_group_add(Parser *p, CommentGroup *g, const FmToken *t)
{
	const char *text = t->text;

	if (g->lines.n == 0)
		g->blank_before = t->blank_before;
	else if (t->blank_before || g->blank_after)
		fm_list_append(p->keep, &g->lines, "");
	if ((g->lines.n > 0 || p->after_end_comment) &&
		!t->blank_before && !g->blank_after &&
		t->first_on_line && strncmp(text, "/*", 2) == 0 && t->pos.col > 1)
	{
		/*
		 * A block comment that continues a run of comment lines keeps the
		 * blanks before it on its line, as Prisma's parser does (its
		 * formatter's rewrite depends on them: format.c); they are
		 * dropped again when the comment is printed as written.
		 */
		text = fm_psprintf(p->keep, "%*s%s", t->pos.col - 1, "", text);
	}
	fm_list_append(p->keep, &g->lines, (char *) text);
	g->blank_after = t->blank_after;
}

/*
 * Append the text of a "///" comment (less the marker and its trailing
 * blanks) to c's doc.
 */
static void
add_doc_line(Parser *p, FmAstComments *c, const char *text)
{
	const char *s = text + 3;	/* after "///" */
	char	   *line;

	if (*s == ' ')
		s++;
	line = fm_strdup(p->keep, s);
	fm_rtrim_blanks(line);
	if (c->doc == NULL)
		c->doc = line;
	else
		c->doc = fm_psprintf(p->keep, "%s\n%s", c->doc, line);
}

/*
 * Attach the collected comments to the element starting at token next
 * (fm_parser_group_take, parser_int.h, when g holds lines).
 */
void
fm_parser_group_take_lines(Parser *p, CommentGroup *g, FmAstComments *c,
						   const FmToken *next)
{
	int			first_doc = 0;
	bool		blank = next->blank_before || g->blank_after;

	memset(c, 0, sizeof(*c));
	if (g->lines.n == 0)
		c->blank_lines_before = next->blank_before ? 1 : 0;
	else
	{
		c->blank_lines_before = g->blank_before ? 1 : 0;
		/* doc: the "///" lines after the last blank line */
		for (int i = 0; i < g->lines.n; i++)
			if (fm_list_get(&g->lines, i, char)[0] == '\0')
				first_doc = i + 1;
		if (!blank)
			for (int i = first_doc; i < g->lines.n; i++)
			{
				const char *line = fm_list_get(&g->lines, i, char);

				if (strncmp(line, "///", 3) == 0)
					add_doc_line(p, c, line);
			}
		/* the lines move to c (g->lines is not read again: see recycling) */
		c->leading = g->lines;
		if (blank)
			fm_list_append(p->keep, &c->leading, "");
	}
	memset(g, 0, sizeof(*g));
}

/* Comment lines of a group as a trailing list ("" first if blank before). */
FmList
fm_parser_group_list(Parser *p, CommentGroup *g)
{
	FmList		l;

	memset(&l, 0, sizeof(l));
	if (g->lines.n > 0)
	{
		if (g->blank_before)
			fm_list_append(p->keep, &l, "");
		for (int i = 0; i < g->lines.n; i++)
			fm_list_append(p->keep, &l, g->lines.items[i]);
	}
	memset(g, 0, sizeof(*g));
	return l;
}

/*
 * fm_parser_line_comments
 *		The comments after an element on its line, consumed: NULL when there
 *		is none, the comment's own text when there is one, else their texts
 *		joined by one space.  Several are possible when a block comment comes
 *		first (then "// b", say), which Prisma accepts.  A doc comment among
 *		them ("///") also adds to c's doc when c is given.  The text is
 *		the token's, or allocated in the parser's arena.
 */
char *
fm_parser_line_comments(Parser *p, FmAstComments *c)
{
	char	   *text = NULL;

	for (;;)
	{
		FmToken    *t = cur(p);

		if (t->kind != FM_TOK_COMMENT || t->first_on_line)
			return text;
		text = text == NULL ? t->text : fm_psprintf(p->keep, "%s %s", text, t->text);
		p->last_blank_after = t->blank_after;
		if (t->doc && c != NULL)
			add_doc_line(p, c, t->text);
		advance(p);
	}
}

/* The comments after an element on its line become its trailing comment. */
void
fm_parser_take_trailing(Parser *p, FmAstComments *c)
{
	char	   *text = fm_parser_line_comments(p, c);

	if (text != NULL)
		c->trailing = text;
}
