/*-------------------------------------------------------------------------
 *
 * literal.c
 *	  Whether a literal default fits its column's SQL type as PostgreSQL
 *	  would store it.  The validator refuses a default that does not fit
 *	  (validate_type.c); the printer (print_types.c) prints the live
 *	  default of such a column as dbgenerated("..."), so that a pull of a
 *	  database holding one still validates.  The rules are PostgreSQL's
 *	  input functions' and typmod checks (varchar, bpchar, numeric,
 *	  float4/float8, int2/int4/int8), checked against the server on
 *	  thousands of literals (test_validate.c).
 *
 * src/core/literal.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fm_literal.h"

/*
 * type_mods
 *		Whether sql, a type as format_type() spells it, is name followed by
 *		one or two type modifiers, "name(a)" or "name(a,b)" (b is then 0
 *		when absent); true with them in *a and *b.  Arrays ("...[]") and
 *		other types are false.
 */
static bool
type_mods(const char *sql, const char *name, long *a, long *b)
{
	size_t		n = strlen(name);
	char	   *end;

	if (sql == NULL || strncmp(sql, name, n) != 0 || sql[n] != '(')
		return false;
	*a = strtol(sql + n + 1, &end, 10);
	*b = 0;
	if (*end == ',')
		*b = strtol(end + 1, &end, 10);
	return end[0] == ')' && end[1] == '\0';
}

/*
 * string_literal_fits
 *		Whether the string s (UTF-8) fits a character type of length n as
 *		PostgreSQL stores it: at most n characters, or more where every
 *		character past the n-th is a space (the string is then cut to n, as
 *		varchar and char do, without error).
 */
static bool
string_literal_fits(const char *s, long n)
{
	long		chars = 0;

	for (const unsigned char *p = (const unsigned char *) s; *p; p++)
	{
		if ((*p & 0xC0) == 0x80)
			continue;			/* a continuation byte */
		if (++chars > n && *p != ' ')
			return false;
	}
	return true;
}

/* the most digits before the point numeric holds (NUMERIC_WEIGHT_MAX) */
#define NUMERIC_MAX_WEIGHT_DIGITS (4L * 0x8000)

/*
 * numeric_literal_fits
 *		Whether the number text (digits, an optional point and exponent, as
 *		fm_is_number_text takes it) is a value numeric reads, and with
 *		typmod whether it fits numeric(precision, scale): rounded to scale
 *		digits after the point, half away from zero as numeric rounds, it
 *		has at most precision - scale digits before the point, which is the
 *		check PostgreSQL makes when it stores the value.
 */
static bool
numeric_literal_fits(const char *text, bool typmod, long precision,
					 long scale)
{
	const char *p = text;
	const char *digits = NULL;	/* significant digits, from the first
								 * non-zero */
	long		ndigits = 0;
	long long	weight = 0;		/* digits before the point, of digits */
	long long	exp = 0;
	long long	kept;
	bool		seen_point = false;

	if (*p == '-' || *p == '+')
		p++;
	for (; isdigit((unsigned char) *p) || *p == '.'; p++)
	{
		if (*p == '.')
		{
			seen_point = true;
			continue;
		}
		if (digits == NULL && *p == '0')
		{
			if (seen_point)
				weight--;		/* a zero after the point, before any digit */
			continue;
		}
		if (digits == NULL)
			digits = p;
		ndigits++;
		if (!seen_point)
			weight++;
	}
	if (*p == 'e' || *p == 'E')
	{
		bool		neg;

		p++;
		neg = *p == '-';
		if (*p == '-' || *p == '+')
			p++;
		for (; isdigit((unsigned char) *p); p++)
			if (exp < INT32_MAX)
				exp = exp * 10 + (*p - '0');
		if (neg)
			exp = -exp;
	}
	/* numeric's input takes no exponent of INT_MAX / 2 or more, even on 0 */
	if (exp >= INT32_MAX / 2 || exp <= -(INT32_MAX / 2))
		return false;
	if (digits == NULL)
		return true;			/* zero */
	weight += exp;
	if (!typmod)
		return weight <= NUMERIC_MAX_WEIGHT_DIGITS;
	/* the significant digits kept when rounding to scale */
	kept = weight + scale;
	if (kept < 0)
		return true;			/* rounds to zero */
	if (kept < ndigits)
	{
		/* the digit at kept decides; skip the point among the digits */
		const char *q = digits;
		long long	i = 0;
		bool		all_nines = true;

		for (; i <= kept; q++)
		{
			if (*q == '.')
				continue;
			if (i < kept && *q != '9')
				all_nines = false;
			if (i == kept && *q >= '5' && all_nines)
				weight++;		/* 9.96 -> 10.0: the carry adds a digit */
			i++;
		}
	}
	return (weight > 0 ? weight : 0) <= precision - scale;
}

/*
 * float_literal_fits
 *		Whether the number text is in range for real (single) or double
 *		precision as PostgreSQL reads it: not too large, and not a non-zero
 *		number so small that it reads as zero.
 */
static bool
float_literal_fits(const char *text, bool single)
{
	char	   *end;
	double		d;

	errno = 0;
	if (single)
	{
		float		f = strtof(text, &end);

		d = f;
	}
	else
		d = strtod(text, &end);
	if (errno == ERANGE && (d == 0.0 || d >= HUGE_VAL || d <= -HUGE_VAL))
		return false;
	return true;
}

/*
 * integer_literal_fits
 *		Whether the whole number text (an optional sign, then digits) lies
 *		in [lo, hi].  Text that is not such a number is not judged (true):
 *		PostgreSQL rounds 1.5 into an integer column, and whatever else the
 *		column takes is the caller's to check.
 */
static bool
integer_literal_fits(const char *text, int64_t lo, int64_t hi)
{
	const char *p = text;
	bool		neg = false;
	uint64_t	n = 0;
	uint64_t	lim;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (*p == '\0')
		return true;
	for (const char *q = p; *q; q++)
		if (!isdigit((unsigned char) *q))
			return true;
	lim = neg ? (uint64_t) (-(lo + 1)) + 1 : (uint64_t) hi;
	for (; *p; p++)
	{
		if (n > (lim - (uint64_t) (*p - '0')) / 10)
			return false;
		n = n * 10 + (uint64_t) (*p - '0');
	}
	return n <= lim;
}

/*
 * fm_literal_fits_type
 *		Whether a literal default, text (a number as written, or a string's
 *		contents), fits the column type sql (format_type() spelling) as
 *		PostgreSQL stores it: the length of character types, the precision
 *		of numeric and the range of the integer and floating-point types.
 *		PostgreSQL checks none of this when the table is created, only when
 *		a row takes the default, so that a default that does not fit makes
 *		every such insert fail.  Other types, and a NULL sql, are not
 *		judged (true).
 */
bool
fm_literal_fits_type(const char *sql, const char *text)
{
	long		a,
				b;

	if (sql == NULL || text == NULL)
		return true;
	if (type_mods(sql, "character varying", &a, &b) ||
		type_mods(sql, "character", &a, &b))
		return string_literal_fits(text, a);
	if (type_mods(sql, "numeric", &a, &b))
		return numeric_literal_fits(text, true, a, b);
	if (strcmp(sql, "numeric") == 0)
		return numeric_literal_fits(text, false, 0, 0);
	if (strcmp(sql, "real") == 0 || strcmp(sql, "double precision") == 0)
		return float_literal_fits(text, strcmp(sql, "real") == 0);
	if (strcmp(sql, "smallint") == 0)
		return integer_literal_fits(text, INT16_MIN, INT16_MAX);
	if (strcmp(sql, "integer") == 0)
		return integer_literal_fits(text, INT32_MIN, INT32_MAX);
	if (strcmp(sql, "bigint") == 0)
		return integer_literal_fits(text, INT64_MIN, INT64_MAX);
	return true;
}
