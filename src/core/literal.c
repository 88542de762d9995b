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
 *	  thousands of literals (test_validate.c).  Also the RFC 3339 reading
 *	  and rendering of a DateTime default, as Prisma's (fm_literal.h).
 *
 * src/core/literal.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
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
	/* by first letter: every literal default of a schema comes here */
	switch (sql[0])
	{
		case 'c':
			if (type_mods(sql, "character varying", &a, &b) ||
				type_mods(sql, "character", &a, &b))
				return string_literal_fits(text, a);
			break;
		case 'n':
			if (type_mods(sql, "numeric", &a, &b))
				return numeric_literal_fits(text, true, a, b);
			if (strcmp(sql, "numeric") == 0)
				return numeric_literal_fits(text, false, 0, 0);
			break;
		case 'r':
		case 'd':
			if (strcmp(sql, "real") == 0 || strcmp(sql, "double precision") == 0)
				return float_literal_fits(text, strcmp(sql, "real") == 0);
			break;
		case 's':
			if (strcmp(sql, "smallint") == 0)
				return integer_literal_fits(text, INT16_MIN, INT16_MAX);
			break;
		case 'i':
			if (strcmp(sql, "integer") == 0)
				return integer_literal_fits(text, INT32_MIN, INT32_MAX);
			break;
		case 'b':
			if (strcmp(sql, "bigint") == 0)
				return integer_literal_fits(text, INT64_MIN, INT64_MAX);
			break;
	}
	return true;
}

/* ---------- DateTime defaults: RFC 3339, as chrono reads it ---------- */

/*
 * Exactly n ASCII digits at *pp into *val, advancing; else the reason (the
 * text ends: "premature end of input"; another character: "input contains
 * invalid characters").
 */
static const char *
rfc_digits(const char **pp, int n, int *val)
{
	const char *p = *pp;

	*val = 0;
	for (int i = 0; i < n; i++, p++)
	{
		if (*p == '\0')
			return "premature end of input";
		if (*p < '0' || *p > '9')
			return "input contains invalid characters";
		*val = *val * 10 + (*p - '0');
	}
	*pp = p;
	return NULL;
}

/* the character c at *pp, advancing; else the reason */
static const char *
rfc_char(const char **pp, char c)
{
	if (**pp == '\0')
		return "premature end of input";
	if (**pp != c)
		return "input contains invalid characters";
	(*pp)++;
	return NULL;
}

static bool
leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * fm_rfc3339_literal
 *		See fm_literal.h.  The fields are read in chrono's order, each
 *		range checked as it is read (month, day of the month, hour, minute,
 *		second up to 60, offset below 24 hours), then the day against its
 *		month, then the end of the text.
 */
const char *
fm_rfc3339_literal(const char *text, char *out)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *p = text;
	const char *why;
	int			year,
				month,
				day,
				hour,
				minute,
				second,
				oh = 0,
				om = 0;
	unsigned	nanos = 0;
	char		sign = '+';
	char		frac[24] = "";

#define STEP(x) do { if ((why = (x)) != NULL) return why; } while (0)
	STEP(rfc_digits(&p, 4, &year));
	STEP(rfc_char(&p, '-'));
	STEP(rfc_digits(&p, 2, &month));
	if (month < 1 || month > 12)
		return "input is out of range";
	STEP(rfc_char(&p, '-'));
	STEP(rfc_digits(&p, 2, &day));
	if (day < 1 || day > 31)
		return "input is out of range";
	if (*p == '\0')
		return "premature end of input";
	if (*p != 'T' && *p != 't' && *p != ' ')
		return "input contains invalid characters";
	p++;
	STEP(rfc_digits(&p, 2, &hour));
	if (hour > 23)
		return "input is out of range";
	STEP(rfc_char(&p, ':'));
	STEP(rfc_digits(&p, 2, &minute));
	if (minute > 59)
		return "input is out of range";
	STEP(rfc_char(&p, ':'));
	STEP(rfc_digits(&p, 2, &second));
	if (second > 60)
		return "input is out of range";
	if (*p == '.')
	{
		int			n = 0;

		p++;
		if (*p < '0' || *p > '9')
			return *p == '\0' ? "premature end of input" :
				"input contains invalid characters";
		/* nine digits count; more are read and dropped */
		for (; *p >= '0' && *p <= '9'; p++, n++)
			if (n < 9)
				nanos = nanos * 10 + (unsigned) (*p - '0');
		for (; n < 9; n++)
			nanos *= 10;
	}
	if (*p == '\0')
		return "premature end of input";
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-')
	{
		sign = *p++;
		STEP(rfc_digits(&p, 2, &oh));
		STEP(rfc_char(&p, ':'));
		STEP(rfc_digits(&p, 2, &om));
		if (oh > 23 || om > 59)
			return "input is out of range";
	}
	else
		return "input contains invalid characters";
#undef STEP
	if (day > mdays[month - 1] + (month == 2 && leap_year(year) ? 1 : 0))
		return "input is out of range";
	if (*p != '\0')
		return "trailing input";
	if (sign == '-' && oh == 0 && om == 0)
		sign = '+';
	/* chrono's Display: 3, 6 or 9 digits of fraction, none when zero */
	if (nanos != 0)
	{
		if (nanos % 1000000 == 0)
			snprintf(frac, sizeof(frac), ".%03u", nanos / 1000000 % 1000);
		else if (nanos % 1000 == 0)
			snprintf(frac, sizeof(frac), ".%06u", nanos / 1000 % 1000000);
		else
			snprintf(frac, sizeof(frac), ".%09u", nanos % 1000000000);
	}
	snprintf(out, FM_RFC3339_OUT, "%04u-%02u-%02u %02u:%02u:%02u%s %c%02u:%02u",
			 (unsigned) year % 10000, (unsigned) month % 100, (unsigned) day % 100,
			 (unsigned) hour % 100, (unsigned) minute % 100,
			 (unsigned) second % 100, frac, sign, (unsigned) oh % 100,
			 (unsigned) om % 100);
	return NULL;
}
