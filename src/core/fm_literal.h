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
#include <stddef.h>

/*
 * Whether text, a literal default (a number as written, or a string's
 * contents), fits the column type sql (format_type() spelling) as
 * PostgreSQL stores it; types it does not judge are true.
 */
extern bool fm_literal_fits_type(const char *sql, const char *text);

/*
 * A DateTime default as Prisma reads and writes it.  Prisma takes only an
 * RFC 3339 date and time (chrono's parse_from_rfc3339: "2020-01-01T10:20:30Z",
 * "2020-06-15 12:30:00.5+02:00"; T, t or a space between date and time, a
 * second of 60, any number of fractional digits) and renders it in its DDL
 * as chrono displays it: local date and time, the fraction in 3, 6 or 9
 * digits when there is one, and the offset ("2020-06-15 12:30:00.500
 * +02:00"), which every date and time type of PostgreSQL reads (the RFC 3339
 * form with a T is refused by time and timetz).
 *
 * fm_rfc3339_literal writes that rendering to out (FM_RFC3339_OUT bytes)
 * and returns NULL, or returns why text is not RFC 3339, in chrono's words
 * ("premature end of input", "input contains invalid characters", "input
 * is out of range", "trailing input"), leaving out unspecified.
 */
#define FM_RFC3339_OUT 64
extern const char *fm_rfc3339_literal(const char *text, char *out);

/*
 * NULL when the len bytes at text are one JSON value (RFC 8259, as Prisma's
 * serde_json and PostgreSQL's json input read it), else why not in a few
 * words ("an unexpected end", "trailing characters").  json_check.c.
 */
extern const char *fm_json_check(const char *text, size_t len);

#endif							/* FM_LITERAL_H */
