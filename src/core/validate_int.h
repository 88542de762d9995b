/*-------------------------------------------------------------------------
 *
 * validate_int.h
 *	  Private state and helpers of the validator, shared by its files
 *	  (validate*.c), as parse_utilcmd.c shares CreateStmtContext.  Not a
 *	  contract: only the validator includes it.
 *
 * V is the state of one validation run: the arena, the diagnostics, the
 * model being built, and the working records of models (VModel), their
 * fields (VField) and enums (VEnum) with their lookup tables.  Functions
 * shared between the files carry the prefix fmv_.
 *
 * src/core/validate_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef VALIDATE_INT_H
#define VALIDATE_INT_H

#include <string.h>

#include "fm_ast.h"
#include "fm_dialect.h"
#include "fm_diff.h"
#include "fm_parse.h"
#include "fm_sqlnames.h"

/* ---------- working structures ---------- */

typedef struct VModel VModel;
typedef struct VEnum VEnum;

typedef enum VFieldKind
{
	VF_ERROR = 0,				/* type could not be resolved */
	VF_SCALAR,
	VF_ENUM,
	VF_UNSUPPORTED,
	VF_RELATION
} VFieldKind;

/*
 * A field of a model.  ast is valid only while its model's own passes run
 * (fields, field attributes, block attributes): fm_ast_validate_in frees a
 * model's syntax tree after them (fmv_release_model) and sets ast to NULL.
 * What the later passes (relations, lineage, names) read of the field is
 * copied here: name, positions, ? and [], @ignore.
 */
typedef struct VField
{
	FmAstField *ast;
	VModel	   *model;
	const char *name;			/* ast->name */
	FmSrcPos	pos;			/* ast->pos (a relation field's type_pos:
								 * VRel) */
	const char *scalar;			/* "String", ... for VF_SCALAR */
	union						/* by kind: read only the one of the kind */
	{
		VEnum	   *en;			/* VF_ENUM */
		VModel	   *target;		/* VF_RELATION */
	};
	FmColumn   *col;			/* scalar/enum/unsupported fields */
	VFieldKind	kind;
	bool		is_id:1;
	bool		has_native:1;
	bool		optional:1;		/* ast->optional */
	bool		list:1;			/* ast->list */
	bool		has_ignore:1;	/* @ignore among ast->attrs */
	const char *native;			/* its native type's name ("VarChar"), or NULL */
	struct VRel *r;				/* VF_RELATION (from the start): its @relation */
} VField;

/* What a relation field adds (most fields are columns and have none). */
typedef struct VRel
{
	FmAstAttribute *rel;
	char	   *rel_name;		/* NULL = unnamed */
	FmAstArg   *a_fields;
	FmAstArg   *a_refs;
	FmAstArg   *a_delete;
	FmAstArg   *a_update;
	FmAstArg   *a_map;
	FmSrcPos	type_pos;		/* the field's ast->type_pos */
	bool		grouped;
	char	   *ctx;			/* fmv_rel_ctx, once needed */
} VRel;

struct VModel
{
	FmList		names_all;		/* field names, for suggestions (lazy) */
	FmList		names_scalar;	/* non-relation field names (lazy) */
	bool		names_done;
	/*
	 * Its block.  blk's own fields are valid throughout, its members
	 * (fields, attrs) only until fmv_release_model.
	 */
	FmAstBlock *blk;
	bool		has_ignore;		/* @@ignore among blk->attrs */
	bool		is_view;		/* a view block: validated like a model, its
								 * table is not in the model (never created
								 * nor dropped), and no foreign key touches it */
	FmTable    *table;
	FmList		fields;			/* of VField * */
	FmHashMap		by_field;		/* field name -> VField (FMV_SMALL_MODEL) */
	FmHashMap		by_column;		/* column name -> VField (FMV_SMALL_MODEL) */
	FmHashMap		key_sigs;		/* sorted column list of pk/unique keys -> key */
	bool		ok_name;
	char	   *pk_map;			/* explicit primary key name */
	FmSrcPos	pk_pos;
	FmList		key_maps;		/* parallel to table->uniques: explicit name or NULL */
	FmList		key_elems;		/* parallel to table->uniques: FmList * of
								 * FmIndexElem when an element has a sort
								 * order (a unique index then), or NULL */
	FmList		key_preds;		/* parallel to table->uniques: the where:
								 * predicate of a partial unique index
								 * (key_elems is then set too), or NULL */
	FmList		index_maps;		/* parallel to table->indexes */
	FmList		check_maps;		/* parallel to table->checks */
	FmList		fk_fields;		/* parallel to table->foreign_keys: VField * */
	struct RelGroup *rel_groups;	/* the relation groups of the pairs of
									 * models it comes first in
									 * (validate_relation.c) */
	/*
	 * The names its primary key, uniques and indexes will first try
	 * (fmv_name_candidates, made by its own passes, for every model,
	 * while it is in the caches), in the order the names pass registers
	 * them: struct NameCand is validate_names.c's.  NULL (and ncands 0)
	 * for a view or a table without keys.
	 */
	struct NameCand *cands;
	int			ncands;
	bool		cands_to_index;	/* a unique becomes a unique index
								 * (uniques_to_indexes has work) */
};

struct VEnum
{
	FmAstBlock *blk;
	FmEnum	   *en;
	FmHashMap		by_variant;		/* variant -> FmEnumValue */
};

/* the slots of V.enum_sql: 2 to this power */
#define FMV_ENUM_SQL_BITS 6

/* the scalar types of the language (fmv_scalar_types, validate.c) */
#define FMV_N_SCALARS 9

typedef struct V
{
	FmArena    *a;				/* the model's: every structure of the model */
	/*
	 * The syntax tree's, freed once the model is built: any string, also a
	 * string of the model (fm_model_adopt_strings copies those), but never
	 * a structure the model points to.
	 */
	FmArena    *t;
	/*
	 * The validator's own, freed when it returns: the working structures
	 * below (VModel, VEnum, VRel, their lists and every lookup map); not
	 * VField, which is in f
	 */
	FmArena    *w;
	/*
	 * The fields' records (VField), freed once the relations are paired
	 * (fmv_forget_fields): the largest of the validator's structures, and
	 * not needed by the names pass, when memory peaks
	 */
	FmArena    *f;
	/*
	 * The names a model's keys try first (fmv_name_candidates), one array
	 * after another, apart from w's structures that the passes between
	 * read; made on first use, freed by the names pass (NULL then)
	 */
	FmArena    *nc;
	FmDiagList *d;
	FmModel    *m;
	const FmDialect *dl;		/* naming and type rules */
	bool		no_fks;			/* relationMode = "prisma": no foreign keys */
	/*
	 * The prefix of native type attributes, with its dot: "db." in the
	 * ferriorm dialect; in the prisma dialect the datasource's name, as
	 * in Prisma (datasource pg: @pg.VarChar(10)); "db." without one
	 */
	const char *native_prefix;
	size_t		native_prefix_len;	/* strlen(native_prefix) */
	FmList		preview;		/* of char *: the previewFeatures of every
								 * generator block */
	FmList		models;			/* of VModel * */
	FmList		redundant;		/* of VModel *: in model order, those that
								 * may have a redundant key or index
								 * (fmv_may_have_redundant) */
	FmList		rel_fields;		/* of VField *: the relation fields, in
								 * model and field order (fmv_model_fields) */
	FmList		enums;			/* of VEnum * */
	FmList		schemas;		/* of char *: datasource schemas */
	FmList		m2m;			/* of FmTable *: join tables */
	FmList		m2m_desc;		/* of char *: their description */
	FmHashMap		by_model;		/* model name -> VModel */
	FmHashMap		by_enum;		/* enum name -> VEnum */
	bool		has_lineage;	/* a model has @@partitionOf or @@inherits */
	bool		has_partitioned;	/* a model's table has a partition key
									 * (@@partitionBy) */
	FmHashMap	column_names;	/* field name -> its column's name as the
								 * dialect derives it (no @map), shared by
								 * every column of that name */
	struct FmvNameFacts *name_facts;	/* FMV_NAME_FACTS slots in w, made by
										 * the first fmv_model_fields */
	struct FmvTypeFacts *type_facts;	/* FMV_TYPE_FACTS slots, made with
										 * name_facts */
	/* the model's tables by name, built by fmv_check_lineage (tables are all added then) */
	FmTableIndex *lineage_ix;
	long		suggest_budget; /* edit distances we may still compute */
	int			ndiags;			/* diagnostics reported so far */
	FmList		type_cands;		/* model and enum names, for suggestions */
	/*
	 * The default SQL type of each scalar type (fmv_scalar_types order),
	 * copied once: the columns share it, so that comparing two of them
	 * is comparing pointers
	 */
	char	   *scalar_sql[FMV_N_SCALARS];
	/* the type name that matched each scalar type (fmv_scalar_index) */
	const char *scalar_seen[FMV_N_SCALARS];
	bool		raw_defaults;	/* a column took dbgenerated()'s SQL */
	/*
	 * The SQL types of native types made so far (validate_type.c,
	 * native_sql): a small cache, one copy of each text in v->t for the
	 * columns to share, as scalar_sql
	 */
	struct
	{
		const char *fmt;		/* NULL: empty */
		long		n0,
					n1;
		char	   *sql;
	}			native_sql[32];
	/*
	 * The SQL literals of the enum values defaults named (validate_type.c,
	 * enum_value_sql), by the value: a small cache, one copy of each in
	 * v->t for the columns to share
	 */
	struct
	{
		const FmEnumValue *value;	/* NULL: empty */
		char	   *sql;
	}			enum_sql[1 << FMV_ENUM_SQL_BITS];
	char	   *now_sql;		/* @default(now())'s SQL, copied once */
} V;

/*
 * The context of a diagnostic ("field \"f\" in model \"M\"", "relation
 * field ..."), formatted when the first message needs it: checks that run
 * for every field take an FmvCtx, so that a field without a message costs
 * no formatting (issue 13: that was about 3% of validation).  text is the
 * context once known (or given: FMV_CTX_TEXT); else vf names the field,
 * a relation field when rel; neither: no context (NULL).
 */
typedef struct FmvCtx
{
	const char *text;
	VField	   *vf;
	bool		rel;
} FmvCtx;

/* an FmvCtx of a context already formatted (or NULL), for one call */
#define FMV_CTX_TEXT(s) (&(FmvCtx) {(s), NULL, false})
/* the FmvCtx of field vf (rel: as a relation field), nothing formatted */
#define FMV_CTX_FIELD(vf, rel) ((FmvCtx) {NULL, (vf), (rel)})
/* the context's text, formatted in v->t at the first call */
extern const char *fmv_ctx(V *v, FmvCtx *c);
/* 'what "name"' in buf, or in v->t when too long for it (validate.c) */
extern const char *fmv_block_ctx_buf(V *v, const char *what, const char *name,
									 char *buf, size_t size);

/* the scalar types of the language, NULL-terminated */
extern const char *const fmv_scalar_types[FMV_N_SCALARS + 1];

/*
 * At most this many diagnostics from the validator: the messages quote
 * names, so an absurd input could otherwise make the report much larger
 * than the input.  Names of models, enums, fields and values are limited to
 * FM_MAX_NAME_LEN bytes for the same reason.
 */
#define FM_MAX_VALIDATOR_DIAGS 10000
#define FM_MAX_NAME_LEN 255

/* validate.c */
extern char *fmv_name_start(V *v, const char *name);
extern bool fmv_name_too_long_report(V *v, FmSrcPos pos, const char *what,
									 const char *name);

/*
 * Is name (NULL: no) a schema-language name too long to be quoted in
 * messages over and over?  Reported when it is.  Inline: every name of
 * every field is checked here, and the check is one strlen.
 */
static inline bool
fmv_name_too_long(V *v, FmSrcPos pos, const char *what, const char *name)
{
	return name != NULL && strlen(name) > FM_MAX_NAME_LEN &&
		fmv_name_too_long_report(v, pos, what, name);
}
/* s, or "" for NULL (inline: messages and checks call it all the time) */
static inline const char *
fmv_nz(const char *s)
{
	return s ? s : "";
}

/*
 * The slot of pointer p in a direct-mapped cache of 1 << bits slots (the
 * validator's caches keyed by an interned name or a model's value, which
 * live as long as the run)
 */
static inline size_t
fmv_pointer_slot(const void *p, int bits)
{
	return (size_t) (((uint64_t) (uintptr_t) p * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
}
extern const char *fmv_suggest(V *v, const char *word, const char *const *cands,
							   FmList *more, const char *prefix);
extern bool fmv_in_list(const char *const *list, const char *s);
extern int	fmv_scalar_index(const char *name, const char **seen);
extern char *fmv_sql_literal(V *v, const char *s);
extern bool fmv_sql_fragment_ok(V *v, FmSrcPos pos, const char *what,
								const char *ctx, const char *text);
extern bool fmv_sql_item_ok(V *v, FmSrcPos pos, const char *what,
							const char *ctx, const char *text);
extern char *fmv_value_repr(V *v, const FmAstValue *val);
extern char *fmv_attr_repr(V *v, const FmAstAttribute *at);
extern bool fmv_check_ident_len_ctx(V *v, FmSrcPos pos, const char *what,
									const char *name, const char *ctx);
extern char *fmv_db_name(V *v, FmSrcPos pos, const char *what, char *name,
						 const char *ctx, const char *attr);
extern bool fmv_derived_name_ok(V *v, FmSrcPos pos, const char *what,
								const char *name, const char *ctx,
								const char *attr);
extern bool fmv_bind_args(V *v, const FmAstAttribute *at, FmvCtx *ctx,
						  const char *const *names, bool first_positional,
						  FmAstArg **out);
extern bool fmv_no_args(V *v, const FmAstAttribute *at, FmvCtx *ctx);
extern char *fmv_string_arg(V *v, const FmAstAttribute *at, FmAstArg *arg,
							const char *argname, FmvCtx *ctx);
extern char *fmv_map_name_arg(V *v, const FmAstAttribute *map, const char *ctx,
							  const char *attr, const char *need,
							  const char *what);
extern bool fmv_value_is_nul_free(const FmAstValue *val);
extern VModel *fmv_find_model(V *v, const char *name);
extern VEnum *fmv_find_enum(V *v, const char *name);
extern VField *fmv_find_field(VModel *vm, const char *name);
extern VField *fmv_find_column(VModel *vm, const char *name);
extern void fmv_field_maps(V *v, VModel *vm, int n);
/* models of up to this many fields have no by_field and by_column maps */
#define FMV_SMALL_MODEL 16
/*
 * A set of names, for "given twice" checks within one attribute or field:
 * the first FMV_SEEN_SMALL compared one by one (names are interned, so
 * mostly by pointer), any more in a map in v->w.  fmv_seen_init() it, then
 * fmv_seen() tells whether a name was added before and adds it.
 */
#define FMV_SEEN_SMALL 16
typedef struct FmvSeen
{
	const char *small[FMV_SEEN_SMALL];
	int			n;
	FmHashMap	map;
} FmvSeen;
extern void fmv_seen_init(FmvSeen *s);
extern bool fmv_seen(V *v, FmvSeen *s, const char *name);
/* is feature among the generators' previewFeatures? */
extern bool fmv_preview_feature(V *v, const char *feature);
/* validate_generator.c */
extern void fmv_collect_preview_features(V *v, const FmAstSchema *ast);
extern void fmv_check_generators(V *v, const FmAstSchema *ast);
/* validate_where.c: the where: argument of @@index / @@unique */
extern bool fmv_where_predicate(V *v, VModel *vm, const FmAstAttribute *at,
								FmAstArg *arg, const char *ctx, char **pred);
extern FmList *fmv_field_names(V *v, VModel *vm, bool scalar_only);
extern FmAstAttribute *fmv_block_attr(FmAstBlock *b, const char *name);
extern void fmv_vdiag(V *v, FmSeverity sev, FmSrcPos pos, const char *fmt,
					  ...) FM_PRINTF(4, 5);
extern const char *fmv_closest_b(long *budget, const char *word,
								 const char *const *cands, FmList *more);

/* validate_datasource.c */
extern void fmv_check_datasource(V *v, const FmAstSchema *ast);
extern char *fmv_resolve_schema(V *v, FmAstBlock *b, FmAstAttribute *at,
								const char *what);

/* validate_enum.c */
extern void fmv_check_enum(V *v, VEnum *ve);

/* validate_type.c */
extern const char *fmv_pg_type_hint(const char *tn);
extern const char *fmv_native_type_named(const char *text);
extern const char *fmv_default_sql_type(V *v, const char *scalar);
/* the same for fmv_scalar_types[k], as the run's one copy (in v->t) of it */
extern char *fmv_default_sql_type_copy(V *v, int k);
extern void fmv_apply_native_type(V *v, VField *vf, FmAstAttribute *at,
								  FmvCtx *ctx);
extern bool fmv_default_is_now(const FmAstAttribute *at);
extern void fmv_apply_default(V *v, VField *vf, FmAstAttribute *at,
							  FmvCtx *ctx);
extern void fmv_apply_list_default(V *v, VField *vf, FmAstAttribute *at,
								   FmvCtx *ctx);

/* validate_model.c: the table, its fields and their attributes */
extern void fmv_model_table(V *v, VModel *vm);
extern void fmv_model_fields(V *v, VModel *vm);
extern void fmv_field_attributes(V *v, VField *vf);
extern const char *fmv_foreign_attr(const FmAstAttribute *at);
/* validate_block.c: block attributes and the key a model needs */
extern void fmv_block_attributes(V *v, VModel *vm);
/* validate_names.c: the client names of compound keys, @map against fields */
extern void fmv_check_key_client_name(V *v, VModel *vm, FmAstAttribute *at,
									  FmAstArg *arg, const char *ctx);
extern void fmv_check_mapped_names(V *v, VModel *vm);

/* validate_identity.c */
extern void fmv_identity_attr(V *v, VField *vf, FmAstAttribute *at,
							  const char *ctx);
extern void fmv_collate_attr(V *v, VField *vf, FmAstAttribute *at,
							 const char *ctx);
extern void fmv_generated_attr(V *v, VField *vf, FmAstAttribute *at,
							   const char *ctx);
extern void fmv_generated_reads(V *v, VModel *vm);
extern bool fmv_elem_collate(V *v, FmIndexElem *el, const FmAstArg *arg,
							 const VField *vf, const char *fname,
							 const char *what);
extern bool fmv_collatable(const VField *vf);

/* validate_view.c */
extern bool fmv_view_attr(V *v, VModel *vm, const char *field,
						  FmAstAttribute *at, FmAstArg **args);
extern bool fmv_view_key_ok(V *v, VModel *vm, FmAstAttribute *at,
							FmAstValue *fields, FmAstArg *map);

/* validate_storage.c */
extern bool fmv_is_storage_attr(const char *name);
extern void fmv_storage_attr(V *v, VModel *vm, FmAstAttribute *at,
							 const char *ctx);

/* validate_annotations.c: /// @renamed and /// @preserve of a model */
extern void fmv_model_annotations(V *v, VModel *vm);

/* validate_partition.c */
extern bool fmv_is_lineage_attr(const char *name);
extern void fmv_lineage_attr(V *v, VModel *vm, FmAstAttribute *at,
							 const char *ctx);
extern void fmv_check_lineage(V *v);
extern void fmv_lineage_serials(V *v);
extern char *fmv_unsupported_list_type(V *v, const char *elem);
extern bool fmv_check_opclasses(V *v, FmIndex *ix, FmAstAttribute *at, const char *ctx);
extern bool fmv_table_option_attr(V *v, VModel *vm, FmAstAttribute *at,
								  const char *ctx, bool twice);
extern VField *fmv_lineage_field(V *v, VModel *vm, const char *name);
extern void fmv_lineage_columns(V *v, const FmTable *t, FmHashMap *colmap);
extern void fmv_inherited_check_conflicts(V *v);
extern void fmv_lineage_name_rules(V *v);
/* validate_index.c: index types, and the fields each takes */
extern bool fmv_prisma_index_fields(V *v, const char *method, const FmList *elems,
									const FmList *vfields, FmAstAttribute *at,
									const char *ctx);
extern const char *fmv_index_method(V *v, FmArena *a, const FmAstValue *tv,
									const char *const *types, const char *where,
									const char *ctx, const char *choices);
/* validate_exclude.c */
extern void fmv_exclude_attr(V *v, VModel *vm, FmAstAttribute *at,
							 const char *ctx);
extern char *fmv_exclusion_columns(V *v, const FmExclusion *x);

/* validate_memory.c: what the validator holds, and the prefetches */
extern void fmv_prefetch_block_attrs(const FmAstSchema *ast, int i);
extern bool fmv_model_by_model(V *v);

/*
 * What is left to prefetch of the next model's tree (fmv_prefetch_models):
 * lines [p, hi), asked for a few at a time (fmv_prefetch_some).
 */
typedef struct FmvPrefetch
{
	const char *p;
	const char *hi;
} FmvPrefetch;

#define FMV_PREFETCH_FIRST 2	/* lines before a model's fields */
#define FMV_PREFETCH_FIELD 2	/* lines after each field */

extern void fmv_prefetch_models(V *v, int i, FmvPrefetch *pf);

/* ask for up to lines more lines of pf */
static inline void
fmv_prefetch_some(FmvPrefetch *pf, int lines)
{
	for (; lines > 0 && pf->p < pf->hi; lines--, pf->p += FM_CACHE_LINE)
		fm_prefetch(pf->p);
}
extern void fmv_release_model(V *v, FmAstSchema *ast, int i);
extern void fmv_forget_fields(V *v);

/* validate_relation.c */
extern char *fmv_rel_ctx(V *v, VField *vf);
extern void fmv_relations(V *v);

/* validate_redundant.c */
extern bool fmv_may_have_redundant(V *v, VModel *vm);
extern void fmv_redundant_indexes(V *v, VModel *vm);
extern void fmv_redundant_uniques(V *v, VModel *vm);

/* validate_names.c */
extern char *fmv_quoted_list(V *v, FmList *cols);
extern void fmv_name_candidates(V *v, VModel *vm);
extern void fmv_name_cand_drop(VModel *vm, int unique);
extern void fmv_name_constraints(V *v);

/* the name of a field in messages, formatted on first use (fmv_field_ctx) */
extern const char *fmv_field_ctx(V *v, VField *vf);
/* the same for the messages of one call, in buf if not formatted yet */
#define FMV_CTX_BUF (2 * FM_MAX_NAME_LEN + 32)
extern const char *fmv_field_ctx_buf(VField *vf, char *buf, size_t size);

#define ERR(pos, ...) fmv_vdiag(v, FM_SEV_ERROR, (pos), __VA_ARGS__)
#define WARN(pos, ...) fmv_vdiag(v, FM_SEV_WARNING, (pos), __VA_ARGS__)
#define closest(word, cands, more) fmv_closest_b(&v->suggest_budget, (word), (cands), (more))
#define check_ident_len(v, pos, what, name) fmv_check_ident_len_ctx(v, pos, what, name, ctx)


/*
 * Prisma's name of an operator class, with the index type(s) it belongs to
 * ("gin", "gist|spgist", "brin") and whether PostgreSQL makes it the
 * default of its type there (validate_opclass.c).
 */
typedef struct FmvOpClass
{
	const char *prisma;
	const char *sql;
	const char *method;
	bool		is_default;
} FmvOpClass;

/* the operator class of Prisma name name, or NULL */
extern const FmvOpClass *fmv_find_opclass(const char *name);
/* the first operator class of SQL name sql ("jsonb_path_ops"), or NULL */
extern const FmvOpClass *fmv_find_opclass_sql(const char *sql);
/* every Prisma name, NULL-terminated, for suggestions (allocated in v->t) */
extern const char *const *fmv_opclass_names(V *v);

#endif							/* VALIDATE_INT_H */
