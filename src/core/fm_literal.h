/*-------------------------------------------------------------------------
 *
 * fm_literal.h
 *	  Literal defaults against their column's SQL type (literal.c).
 *
 * src/core/fm_literal.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_LITERAL_H
#define FM_LITERAL_H

#include <stdbool.h>

/*
 * Whether text, a literal default (a number as written, or a string's
 * contents), fits the column type sql (format_type() spelling) as
 * PostgreSQL stores it; types it does not judge are true.
 */
extern bool fm_literal_fits_type(const char *sql, const char *text);

#endif							/* FM_LITERAL_H */
