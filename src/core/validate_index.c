/*-------------------------------------------------------------------------
 *
 * validate_index.c
 *	  The prisma dialect's checks of the fields of an @@index or @@unique
 *	  against its index type, as Prisma's PostgreSQL connector makes them
 *	  (psl's postgres_datamodel_connector/validations.rs): which field
 *	  types and native types a Gist, Gin, SpGist or Brin index takes
 *	  without an operator class, which operator class fits which native
 *	  type, that SpGist takes one field, that only @@index takes ops: and
 *	  that a field of native type Xml is never indexed.  ops: raw("...")
 *	  is never checked, as in Prisma.  The ferriorm dialect leaves all of
 *	  this to PostgreSQL (an extension such as btree_gin may add operator
 *	  classes).
 *
 * src/core/validate_index.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <string.h>

#include "validate_int.h"

/*
 * Brin's operator classes by native type (and, for a field without a
 * native type, by scalar type): the native type takes no operator class
 * or one of ops; a field of scalar type scalar without a native type takes
 * none or one of ops too.
 */
typedef struct BrinFamily
{
	const char *native;
	const char *scalar;			/* or NULL */
	const char *ops[4];
} BrinFamily;

static const BrinFamily brin_families[] = {
	{"Bit", NULL, {"BitMinMaxOps"}},
	{"VarBit", NULL, {"VarBitMinMaxOps"}},
	{"Char", NULL, {"BpcharBloomOps", "BpcharMinMaxOps"}},
	{"Date", NULL, {"DateBloomOps", "DateMinMaxOps", "DateMinMaxMultiOps"}},
	{"Real", NULL, {"Float4BloomOps", "Float4MinMaxOps", "Float4MinMaxMultiOps"}},
	{"DoublePrecision", "Float", {"Float8BloomOps", "Float8MinMaxOps", "Float8MinMaxMultiOps"}},
	{"Inet", NULL, {"InetInclusionOps", "InetBloomOps", "InetMinMaxOps", "InetMinMaxMultiOps"}},
	{"SmallInt", NULL, {"Int2BloomOps", "Int2MinMaxOps", "Int2MinMaxMultiOps"}},
	{"Integer", "Int", {"Int4BloomOps", "Int4MinMaxOps", "Int4MinMaxMultiOps"}},
	{"BigInt", "BigInt", {"Int8BloomOps", "Int8MinMaxOps", "Int8MinMaxMultiOps"}},
	{"Decimal", "Decimal", {"NumericBloomOps", "NumericMinMaxOps", "NumericMinMaxMultiOps"}},
	{"Oid", NULL, {"OidBloomOps", "OidMinMaxOps", "OidMinMaxMultiOps"}},
	{"ByteA", "Bytes", {"ByteaBloomOps", "ByteaMinMaxOps"}},
	{"Text", "String", {"TextBloomOps", "TextMinMaxOps"}},
	{"VarChar", NULL, {"TextBloomOps", "TextMinMaxOps"}},
	{"Timestamp", "DateTime", {"TimestampBloomOps", "TimestampMinMaxOps", "TimestampMinMaxMultiOps"}},
	{"Timestamptz", NULL, {"TimestampTzBloomOps", "TimestampTzMinMaxOps", "TimestampTzMinMaxMultiOps"}},
	{"Time", NULL, {"TimeBloomOps", "TimeMinMaxOps", "TimeMinMaxMultiOps"}},
	{"Timetz", NULL, {"TimeTzBloomOps", "TimeTzMinMaxOps", "TimeTzMinMaxMultiOps"}},
	{"Uuid", NULL, {"UuidBloomOps", "UuidMinMaxOps", "UuidMinMaxMultiOps"}},
};

#define N_BRIN ((int) (sizeof(brin_families) / sizeof(brin_families[0])))

static bool
family_has(const BrinFamily *f, const char *oc)
{
	for (int i = 0; i < 4 && f->ops[i]; i++)
		if (fm_streq(f->ops[i], oc))
			return true;
	return false;
}

/* the scalar type of vf as Prisma classifies it ("" for an enum) */
static const char *
scalar_of(const VField *vf)
{
	return vf->kind == VF_SCALAR && vf->scalar ? vf->scalar : "";
}

/*
 * Prisma's IndexAlgorithm::supports_field_type, for a field of scalar type
 * t ("" for an enum), a list when list, Unsupported(...) when unsupported
 */
static bool
method_takes(const char *method, const char *t, bool list, bool unsupported)
{
	if (unsupported)
		return true;
	if (fm_streq(method, "gist") || fm_streq(method, "spgist"))
		return fm_streq(t, "String");
	if (fm_streq(method, "gin"))
		return fm_streq(t, "Json") || list;
	if (fm_streq(method, "brin"))
		return fm_streq(t, "String") || fm_streq(t, "Bytes") || fm_streq(t, "DateTime") ||
			fm_streq(t, "Float") || fm_streq(t, "Int") || fm_streq(t, "BigInt") ||
			fm_streq(t, "Decimal");
	return true;
}

/*
 * takes_without_ops
 *		Does Prisma take a field of scalar type t ("" for an enum), native
 *		type nt (or NULL), a list when list, Unsupported(...) when
 *		unsupported, in an index of type method without an operator class?
 *		A Gin index takes Json, JsonB and lists; SpGist takes String (Text,
 *		VarChar, Char) and Inet; Brin the native types of brin_families and
 *		the scalars method_takes names; Gist only String without a native
 *		type; btree and hash anything.
 */
static bool
takes_without_ops(const char *method, const char *t, const char *nt, bool list,
				  bool unsupported)
{
	if (fm_streq(method, "gin"))
	{
		if ((nt == NULL && fm_streq(t, "Json")) || list || fm_streq(nt, "JsonB"))
			return true;
	}
	else if (fm_streq(method, "spgist"))
	{
		if (fm_streq(nt, "Inet") || (nt == NULL && fm_streq(t, "String")) ||
			fm_streq(nt, "Text") || fm_streq(nt, "VarChar") || fm_streq(nt, "Char"))
			return true;
	}
	else if (fm_streq(method, "brin"))
	{
		for (int i = 0; nt && i < N_BRIN; i++)
			if (fm_streq(nt, brin_families[i].native))
				return true;
	}
	else if (!fm_streq(method, "gist"))
		return true;			/* btree, hash */
	return nt == NULL && method_takes(method, t, list, unsupported);
}

/*
 * fm_prisma_index_takes
 *		See fm_dialect.h.  type_name is the field's type as written: a
 *		scalar, an enum's name or "Unsupported".
 */
bool
fm_prisma_index_takes(const char *method, const char *type_name, const char *native,
					  bool list)
{
	bool		unsupported = fm_streq(type_name, "Unsupported");

	return takes_without_ops(method, unsupported ? "" : fmv_nz(type_name), native, list,
							 unsupported);
}

/*
 * Brin: NULL when native type nt and operator class oc fit field vf, the
 * scalar type oc needs when only that is wrong, else "" (see elem_problem)
 */
static const char *
brin_problem(const VField *vf, const char *nt, const char *oc)
{
	for (int i = 0; i < N_BRIN; i++)
	{
		const BrinFamily *f = &brin_families[i];

		if (nt && fm_streq(nt, f->native) && family_has(f, oc))
			return NULL;
		if (nt == NULL && f->scalar && family_has(f, oc))
			return fm_streq(scalar_of(vf), f->scalar) ? NULL : f->scalar;
	}
	return "";
}

/*
 * The problem of element el (field vf, operator class oc by Prisma's name
 * or NULL) in an index of type method, as a message, or NULL when Prisma
 * takes it.  Without an operator class, takes_without_ops decides; the
 * branches by method below check the one named.
 */
static char *
elem_problem(V *v, const char *method, const VField *vf, const char *oc)
{
	const char *nt = vf->native;
	const char *t = scalar_of(vf);
	const char *name = vf->name;
	const char *wrong = "";		/* "": the general message; NULL: fits */

	if (oc == NULL && takes_without_ops(method, t, nt, vf->list, vf->kind == VF_UNSUPPORTED))
		return NULL;
	if (fm_streq(method, "gist"))
	{
		if (fm_streq(nt, "Inet") && fm_streq(oc, "InetOps"))
			return NULL;
	}
	else if (fm_streq(method, "gin"))
	{
		if (fm_streq(nt, "JsonB") && (fm_streq(oc, "JsonbOps") || fm_streq(oc, "JsonbPathOps")))
			return NULL;
		if (nt == NULL && (fm_streq(oc, "JsonbOps") || fm_streq(oc, "JsonbPathOps")))
			wrong = fm_streq(t, "Json") ? NULL : "Json";
		else if (fm_streq(oc, "ArrayOps"))
		{
			if (vf->list)
				return NULL;
			return fm_psprintf(v->t, "operator class ArrayOps needs field \"%s\" to be a list", name);
		}
	}
	else if (fm_streq(method, "spgist"))
	{
		if ((fm_streq(nt, "Inet") && fm_streq(oc, "InetOps")) ||
			((fm_streq(nt, "Text") || fm_streq(nt, "VarChar") || fm_streq(nt, "Char")) &&
			 fm_streq(oc, "TextOps")))
			return NULL;
		if (nt == NULL && fm_streq(oc, "TextOps"))
			wrong = fm_streq(t, "String") ? NULL : "String";
	}
	else if (fm_streq(method, "brin"))
		wrong = brin_problem(vf, nt, oc);
	else
		return NULL;			/* btree, hash: checked by check_opclasses */

	if (wrong == NULL)
		return NULL;
	if (*wrong)
		return fm_psprintf(v->t, "operator class %s needs field \"%s\" to be of type %s", oc, name, wrong);
	if (nt && oc)
		return fm_psprintf(v->t, "operator class %s does not fit native type %s of field \"%s\"", oc, nt, name);
	if (nt)
		return fm_psprintf(v->t, "native type %s of field \"%s\" has no default operator class for this index type; name one with ops:",
						   nt, name);
	if (oc)
		return fm_psprintf(v->t, "operator class %s needs field \"%s\" to have a native type it fits (@db.*)", oc, name);
	/* neither: takes_without_ops found that the index type does not take it */
	return fm_psprintf(v->t, "index type %s does not take field \"%s\" of type %s",
					   fm_streq(method, "gist") ? "Gist" : fm_streq(method, "gin") ? "Gin" :
					   fm_streq(method, "spgist") ? "SpGist" : "Brin",
					   name, fmv_nz(vf->ast->type_name));
}

/*
 * fmv_prisma_index_fields
 *		In the prisma dialect, the fields (vfields) and elements (elems) of
 *		@@index of type method, or of @@unique (method NULL), at in model
 *		ctx, checked as Prisma checks them.  Each problem is reported on the
 *		attribute, as Prisma does; false when there is one.  True in the
 *		ferriorm dialect.  Operator classes that do not belong to the index
 *		type are check_opclasses' (validate_model.c), not checked here.
 */
bool
fmv_prisma_index_fields(V *v, const char *method, const FmList *elems,
						const FmList *vfields, FmAstAttribute *at, const char *ctx)
{
	bool		ok = true;

	if (v->dl->kind != FM_DIALECT_PRISMA)
		return true;
	for (int k = 0; k < vfields->n && k < elems->n; k++)
	{
		const VField *vf = fm_list_get(vfields, k, VField);
		const FmIndexElem *el = fm_list_get(elems, k, FmIndexElem);
		const char *oc = NULL;
		char	   *problem;

		if (fm_streq(vf->native, "Xml"))
		{
			/* on the field, as Prisma reports it */
			ERR(vf->pos, "field \"%s\" of native type Xml cannot be in %s of %s, as in Prisma (PostgreSQL compares no xml values)",
				vf->name, fmv_attr_repr(v, at), ctx);
			return false;
		}
		if (method == NULL)
		{
			if (el->opclass != NULL)
			{
				ERR(at->pos, "operator class of field \"%s\" in %s of %s: Prisma takes ops: only in @@index",
					vf->name, fmv_attr_repr(v, at), ctx);
				ok = false;
			}
			continue;
		}
		if (el->opclass != NULL && el->opclass_method == NULL)
			continue;			/* raw("..."): never checked */
		if (el->opclass != NULL)
		{
			oc = fm_opclass_prisma_name(el->opclass, el->opclass_method);
			/* one of another index type: check_opclasses reports it */
			if (oc == NULL || strstr(el->opclass_method, method) == NULL)
				continue;
		}
		problem = elem_problem(v, method, vf, oc);
		if (problem)
		{
			ERR(at->pos, "%s in %s of %s, as Prisma checks it", problem, fmv_attr_repr(v, at), ctx);
			ok = false;
		}
	}
	if (method && fm_streq(method, "spgist") && elems->n > 1)
	{
		ERR(at->pos, "@@index of type SpGist in %s can have only one field", ctx);
		ok = false;
	}
	return ok;
}

/*
 * fmv_check_opclasses
 *		The operator classes named by Prisma name in index ix, checked
 *		against its index type ("JsonbPathOps needs type: Gin"); a default
 *		one is dropped (the catalog does not record it).  False when one
 *		does not fit (reported).  Both dialects (block_index).
 */
bool
fmv_check_opclasses(V *v, FmIndex *ix, FmAstAttribute *at, const char *ctx)
{
	bool		ok = true;

	for (int k = 0; k < ix->elems.n; k++)
	{
		FmIndexElem *el = fm_list_get(&ix->elems, k, FmIndexElem);
		const FmvOpClass *oc = NULL;

		if (el->opclass_method == NULL)
			continue;
		oc = fmv_find_opclass_sql(el->opclass);
		if (oc == NULL)
			continue;
		if (strstr(oc->method, ix->method) == NULL ||
			(fm_streq(ix->method, "gist") && fm_streq(oc->method, "spgist")))
		{
			ERR(at->pos, "operator class %s of field \"%s\" in @@index of %s needs type: %s",
				oc->prisma, fmv_nz(el->column), ctx,
				fm_streq(oc->method, "gin") ? "Gin" :
				fm_streq(oc->method, "brin") ? "Brin" :
				fm_streq(oc->method, "spgist") ? "SpGist" : "Gist or SpGist");
			ok = false;
			continue;
		}
		if (oc->is_default || (fm_streq(oc->sql, "inet_ops") &&
							   fm_streq(ix->method, "spgist")))
			el->opclass = NULL;
	}
	return ok;
}

/*
 * fmv_index_method
 *		The access method an index type value names (tv: BTree, Gin, ...
 *		one of types, a NULL-terminated list of Prisma's names), lower-cased
 *		in arena a (btree, gin: PostgreSQL's name).  Anything else is an
 *		error at tv, "unknown index type "X" in <where><ctx>; use one of
 *		<choices>" with a suggestion when X is a near miss, and NULL.
 */
const char *
fmv_index_method(V *v, FmArena *a, const FmAstValue *tv,
				 const char *const *types, const char *where,
				 const char *ctx, const char *choices)
{
	char	   *m;

	if (tv->kind != FM_VAL_IDENT || !fmv_in_list(types, tv->text))
	{
		fmv_vdiag(v, FM_SEV_ERROR, tv->pos,
				  "unknown index type \"%s\" in %s%s; use one of %s%s",
				  fmv_value_repr(v, tv), where, ctx, choices,
				  tv->kind == FM_VAL_IDENT ? fmv_suggest(v, tv->text, types, NULL, NULL) : "");
		return NULL;
	}
	m = fm_strdup(a, tv->text);
	for (char *p = m; *p; p++)
		*p = (char) tolower((unsigned char) *p);
	return m;
}
