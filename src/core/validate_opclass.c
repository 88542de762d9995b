/*-------------------------------------------------------------------------
 *
 * validate_opclass.c
 *	  Prisma's names of PostgreSQL operator classes (ops: JsonbPathOps):
 *	  the table the validator checks @@index(..., ops:) against, and that
 *	  pull prints the live operator classes by (fm_opclass_prisma_name).
 *
 * src/core/validate_opclass.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "validate_int.h"

/*
 * Prisma's names of PostgreSQL operator classes (ops: JsonbPathOps), with
 * the index type each belongs to and whether PostgreSQL makes it the
 * default of its type for that index type: a default operator class is
 * not recorded, as the catalog does not show it.  InetOps is gist's
 * (non-default) or spgist's (default) inet_ops.
 */
static const FmvOpClass opclasses[] = {
	{"ArrayOps", "array_ops", "gin", true},
	{"JsonbOps", "jsonb_ops", "gin", true},
	{"JsonbPathOps", "jsonb_path_ops", "gin", false},
	{"InetOps", "inet_ops", "gist|spgist", false},
	{"TextOps", "text_ops", "spgist", true},
	{"BitMinMaxOps", "bit_minmax_ops", "brin", true},
	{"VarBitMinMaxOps", "varbit_minmax_ops", "brin", true},
	{"BpcharBloomOps", "bpchar_bloom_ops", "brin", false},
	{"BpcharMinMaxOps", "bpchar_minmax_ops", "brin", true},
	{"ByteaBloomOps", "bytea_bloom_ops", "brin", false},
	{"ByteaMinMaxOps", "bytea_minmax_ops", "brin", true},
	{"DateBloomOps", "date_bloom_ops", "brin", false},
	{"DateMinMaxOps", "date_minmax_ops", "brin", true},
	{"DateMinMaxMultiOps", "date_minmax_multi_ops", "brin", false},
	{"Float4BloomOps", "float4_bloom_ops", "brin", false},
	{"Float4MinMaxOps", "float4_minmax_ops", "brin", true},
	{"Float4MinMaxMultiOps", "float4_minmax_multi_ops", "brin", false},
	{"Float8BloomOps", "float8_bloom_ops", "brin", false},
	{"Float8MinMaxOps", "float8_minmax_ops", "brin", true},
	{"Float8MinMaxMultiOps", "float8_minmax_multi_ops", "brin", false},
	{"InetInclusionOps", "inet_inclusion_ops", "brin", true},
	{"InetBloomOps", "inet_bloom_ops", "brin", false},
	{"InetMinMaxOps", "inet_minmax_ops", "brin", false},
	{"InetMinMaxMultiOps", "inet_minmax_multi_ops", "brin", false},
	{"Int2BloomOps", "int2_bloom_ops", "brin", false},
	{"Int2MinMaxOps", "int2_minmax_ops", "brin", true},
	{"Int2MinMaxMultiOps", "int2_minmax_multi_ops", "brin", false},
	{"Int4BloomOps", "int4_bloom_ops", "brin", false},
	{"Int4MinMaxOps", "int4_minmax_ops", "brin", true},
	{"Int4MinMaxMultiOps", "int4_minmax_multi_ops", "brin", false},
	{"Int8BloomOps", "int8_bloom_ops", "brin", false},
	{"Int8MinMaxOps", "int8_minmax_ops", "brin", true},
	{"Int8MinMaxMultiOps", "int8_minmax_multi_ops", "brin", false},
	{"NumericBloomOps", "numeric_bloom_ops", "brin", false},
	{"NumericMinMaxOps", "numeric_minmax_ops", "brin", true},
	{"NumericMinMaxMultiOps", "numeric_minmax_multi_ops", "brin", false},
	{"OidBloomOps", "oid_bloom_ops", "brin", false},
	{"OidMinMaxOps", "oid_minmax_ops", "brin", true},
	{"OidMinMaxMultiOps", "oid_minmax_multi_ops", "brin", false},
	{"TextBloomOps", "text_bloom_ops", "brin", false},
	{"TextMinMaxOps", "text_minmax_ops", "brin", true},
	{"TimestampBloomOps", "timestamp_bloom_ops", "brin", false},
	{"TimestampMinMaxOps", "timestamp_minmax_ops", "brin", true},
	{"TimestampMinMaxMultiOps", "timestamp_minmax_multi_ops", "brin", false},
	{"TimestampTzBloomOps", "timestamptz_bloom_ops", "brin", false},
	{"TimestampTzMinMaxOps", "timestamptz_minmax_ops", "brin", true},
	{"TimestampTzMinMaxMultiOps", "timestamptz_minmax_multi_ops", "brin", false},
	{"TimeBloomOps", "time_bloom_ops", "brin", false},
	{"TimeMinMaxOps", "time_minmax_ops", "brin", true},
	{"TimeMinMaxMultiOps", "time_minmax_multi_ops", "brin", false},
	{"TimeTzBloomOps", "timetz_bloom_ops", "brin", false},
	{"TimeTzMinMaxOps", "timetz_minmax_ops", "brin", true},
	{"TimeTzMinMaxMultiOps", "timetz_minmax_multi_ops", "brin", false},
	{"UuidBloomOps", "uuid_bloom_ops", "brin", false},
	{"UuidMinMaxOps", "uuid_minmax_ops", "brin", true},
	{"UuidMinMaxMultiOps", "uuid_minmax_multi_ops", "brin", false},
};

#define N_OPCLASSES ((int) (sizeof(opclasses) / sizeof(opclasses[0])))

/* fm_opclass_prisma_name: see fm_dialect.h ("jsonb_path_ops" -> "JsonbPathOps") */
const char *
fm_opclass_prisma_name(const char *sql, const char *method)
{
	for (int i = 0; sql && method && i < N_OPCLASSES; i++)
		if (strcmp(opclasses[i].sql, sql) == 0 && strstr(opclasses[i].method, method) &&
			!(fm_streq(method, "gist") && fm_streq(opclasses[i].method, "spgist")))
			return opclasses[i].prisma;
	return NULL;
}

/* the first operator class whose Prisma name (sql: SQL name) is name */
static const FmvOpClass *
find_by(const char *name, bool sql)
{
	for (int i = 0; name && i < N_OPCLASSES; i++)
		if (strcmp(sql ? opclasses[i].sql : opclasses[i].prisma, name) == 0)
			return &opclasses[i];
	return NULL;
}

const FmvOpClass *
fmv_find_opclass(const char *name)
{
	return find_by(name, false);
}

/* the Prisma names, for suggestions */
const char *const *
fmv_opclass_names(V *v)
{
	const char **names = fm_alloc(v->t, sizeof(char *) * (N_OPCLASSES + 1));

	for (int i = 0; i < N_OPCLASSES; i++)
		names[i] = opclasses[i].prisma;
	names[N_OPCLASSES] = NULL;
	return names;
}

/* the first operator class whose SQL name is sql, or NULL */
const FmvOpClass *
fmv_find_opclass_sql(const char *sql)
{
	return find_by(sql, true);
}
