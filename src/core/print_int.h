/*-------------------------------------------------------------------------
 *
 * print_int.h
 *	  Internal state of print (fm_print.h), shared by its files:
 *	  print_names.c (schema-language names), print_types.c (field types and
 *	  defaults), print_relations.c (relation fields, implicit many-to-many),
 *	  print_prisma.c (the prisma dialect's names, relations and blocks),
 *	  print_maps.c (which names need map:), print.c (keys, indexes, the
 *	  syntax tree, the driver).
 *
 * src/core/print_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PRINT_INT_H
#define PRINT_INT_H

#include "fm_print.h"

typedef struct PModel PModel;
typedef struct PForce PForce;

typedef struct PEnum
{
	const FmEnum *e;
	char	   *name;
	bool		map;			/* @@map */
	char	  **variants;		/* per value */
	bool	   *vmap;			/* per value: @map */
} PEnum;

/* A relation field of a model. */
typedef struct PRel
{
	char	   *name;
	PModel	   *target;
	bool		list;
	bool		optional;
	char	   *relname;		/* @relation("name"), or NULL */
	const FmForeignKey *fk;		/* the side holding the foreign key, else NULL */
	int			fk_index;		/* its index in the table's foreign_keys */
	char	   *key;			/* identity for re-pull: see print_relations.c */
} PRel;

struct PModel
{
	const FmTable *t;
	char	   *name;
	bool		map;			/* @@map */
	bool		m2m;			/* hidden join table: printed as list fields */
	bool		lineage;		/* partitioned, or a parent of another table:
								 * autoincrement() is a serial there */
	PModel	   *m2m_a;			/* join table: the models of columns A and B */
	PModel	   *m2m_b;
	char	   *m2m_relname;
	char	  **fields;			/* per column: field name */
	bool	   *fmap;			/* per column: @map */
	FmList		rels;			/* of PRel * */
	/* unique constraints, and unique indexes printed as such (normalize_srv.c) */
	FmList		keys;			/* of FmKey * */
	bool	   *ix_key;			/* per index: printed as a unique key */
	bool	   *ix_ukey;		/* per index: printed as @@unique with sort/ops */
	/*
	 * the columns of those of them without a predicate (a sort order, an
	 * operator class, a collation): unique all the same, so a foreign key
	 * may reference them and a relation over them is one-to-one, as
	 * Prisma's introspection reads them (fm_p_is_key_of)
	 */
	FmList		sorted_keys;	/* of FmKey * */
	FmList		reasons;		/* of char *: why /// @preserve */
	bool		ignored;		/* no key: @@ignore */
	FmHashMap	field_names;	/* every field name of the model */
	/* per object: printed, and needs map: (set by print.c's fixpoint) */
	bool	   *fk_ok;
	bool	   *fk_skip;		/* per foreign key: name clash, not printed */
	bool	   *ck_skip;		/* per check: name clash, not printed */
	bool	   *ix_ok;
	bool		pk_map;
	bool	   *uq_map;
	bool	   *ix_map;
	bool	   *fk_map;
	bool	   *ck_map;
	char	   *doc;			/* doc comment to print */
	/*
	 * prisma dialect: the name Prisma's introspection uses in relation
	 * names and relation field names (before it renames models whose name
	 * is taken in another schema)
	 */
	char	   *rel_base;
	int			index;			/* in PState.models: table order */
};

/*
 * re-pull: a table of the previous text, with its columns and its block's
 * fields by name (built on first use), so that looking up the previous
 * text for each table and column of the catalog takes constant time: the
 * previous text is the caller's, and a linear search per column made a
 * pull with a large one quadratic, in the core, which cannot be cancelled.
 */
typedef struct PPrev
{
	const FmTable *t;
	const FmAstBlock *block;	/* its model's block, or NULL */
	FmHashMap	cols;			/* column name -> FmColumn (the first) */
	FmHashMap	by_field;		/* field name -> FmColumn (the first) */
	FmHashMap	fields;			/* field name -> FmAstField of block (the first) */
	bool		indexed;		/* the three maps are built */
} PPrev;

typedef struct PState
{
	FmArena    *a;
	const FmModel *m;
	const FmPrintOptions *o;
	const FmNaming *nm;
	FmList		enums;			/* of PEnum * */
	FmList		models;			/* of PModel *, in table order */
	FmHashMap	by_table;		/* (schema, table) -> PModel */
	FmHashMap	by_enum;		/* (schema, type) -> PEnum */
	FmHashMap	type_names;		/* model and enum names taken */
	/* re-pull: the previous text's validated model and syntax tree */
	const FmModel *prev;
	const FmAstSchema *prev_ast;
	FmHashMap	prev_rel_names; /* PRel key -> field name */
	FmHashMap	rel_keys;		/* PRel keys given so far (fm_p_add_rel) */
	FmHashMap	prev_relnames;	/* PRel key of a foreign key -> its
								 * @relation name */
	FmHashMap	prev_blocks;	/* model and enum name -> FmAstBlock */
	FmHashMap	prev_order;		/* model and enum name -> int *: the
								 * position of its block in the text */
	FmHashMap	prev_tables;	/* (schema, table) -> PPrev (the first) */
	FmHashMap	prev_enums;		/* (schema, type) -> FmEnum (the first) */
	FmList		kept_views;		/* of FmAstBlock *: the previous text's view
								 * blocks whose views are live */
	FmHashMap	kept_view_names;	/* their names -> block */
	FmHashMap	kept_view_tables;	/* (schema, view) of a kept block -> it */
	bool		no_views;		/* keep none (fm_print_schema's retry) */
	bool		no_new_views;	/* add none (its first retry) */
	bool		new_views;		/* a view not in the previous text is printed */
	FmTableIndex *m_ix;			/* m's tables by name, made on first use */
	bool		partial_indexes;	/* prisma: a where: was printed */
	/*
	 * the datasource lists its schemas and models state @@schema: the
	 * option, or a previous text whose datasource lists them (re-pull)
	 */
	bool		print_schemas;
} PState;

/* is the text printed in the prisma dialect? */
#define P_PRISMA(ps) ((ps)->nm->kind == FM_DIALECT_PRISMA)

/* print_names.c */
extern bool fm_p_is_ident(const char *s);
extern void fm_p_name_enums(PState *ps);
extern void fm_p_name_models(PState *ps);
extern void fm_p_name_fields(PState *ps, PModel *pm);
extern char *fm_p_unique_field(PState *ps, PModel *pm, const char *want);
extern char *fm_p_model_candidate(PState *ps, const char *schema, const char *name);
extern char *fm_p_field_candidate(PState *ps, const char *col);
extern char *fm_p_unique_name(FmArena *arena, FmHashMap *taken, const char *want,
							  const char *fallback, bool types);
extern void fm_p_load_previous(PState *ps);

/* print_repull.c */
/*
 * A block to print with its place: the position of the previous text's
 * block of the same table or enum (re-pull), or INT_MAX for one the
 * previous text did not have; seq keeps table or enum order among equals.
 */
typedef struct PPlaced
{
	FmAstBlock *b;
	int			prev_pos;
	int			seq;
} PPlaced;
extern int	fm_p_prev_position(PState *ps, const char *name);
extern void fm_p_place_blocks(PState *ps, PPlaced *placed, int n, FmList *out);
extern void fm_p_keep_views(PState *ps);
extern void fm_p_view_fields(PState *ps, const FmAstBlock *pb, FmList *fields);

/* print_views.c: the views a re-pull adds */
extern void fm_p_new_views(PState *ps, FmList *blocks);

/* print_tables.c: doc comments */
extern bool fm_p_doc_ok(const char *doc);
extern void fm_p_doc_lines(PState *ps, FmList *leading, const char *doc);
extern PPrev *fm_p_prev_table(PState *ps, const char *schema, const char *name);
extern const FmColumn *fm_p_prev_column(PState *ps, PPrev *pp, const char *column);
extern const FmColumn *fm_p_prev_column_of_field(PState *ps, PPrev *pp, const char *field);
extern const FmAstField *fm_p_prev_field(PState *ps, PPrev *pp, const char *field);
extern const FmEnum *fm_p_prev_enum(PState *ps, const char *schema, const char *name);

/* print_types.c: type and @default of a column as field pieces */
typedef struct PFieldType
{
	char	   *type_name;		/* "String", an enum name, "Unsupported" */
	char	   *unsupported;	/* Unsupported("...") argument */
	bool		list;			/* Role[]: an array of an enum */
	FmAstAttribute *native;		/* @db.X(...), or NULL */
	FmAstAttribute *dflt;		/* @default(...), or NULL */
	const char *reason;			/* why the table needs @preserve, or NULL */
	bool		domain;			/* a domain's column, typed as its base
								 * (domain_as_base) */
} PFieldType;
extern PFieldType fm_p_field_type(PState *ps, const FmColumn *c);
extern FmAstField *fm_p_typed_field(PState *ps, const char *name, const PFieldType *ft);
extern char *fm_p_sql_text(PState *ps, const char *sql);

/* print_tables.c: @identity, @collate, @generated, @@unlogged, @@storage */
extern void fm_p_column_extras(PState *ps, const FmColumn *c, bool lineage,
								FmAstField *fld);
extern void fm_p_table_extras(PState *ps, const FmTable *t, FmAstBlock *b);
extern const char *const fm_p_unstated_prefix;
extern const char *const fm_p_unstated_prefix_ferriorm;
/* print_keys.c: keys and indexes, and their attributes */
extern FmAstAttribute *fm_p_key_attr(PState *ps, PModel *pm, const char *name,
									 const FmKey *k, bool map);
extern FmAstAttribute *fm_p_index_attr(PState *ps, PModel *pm, const FmIndex *ix,
									   bool map, const char *attr);
extern const char *fm_p_index_type_name(const char *method);
extern const char *fm_p_index_problem(const FmIndex *ix);
extern bool fm_p_foreign_collation(const PState *ps, const FmIndex *ix);
extern void fm_p_mark_lineage(PState *ps);
extern bool fm_p_has_key(PState *ps, const PModel *pm);
extern void fm_p_collect_keys(PState *ps, PModel *pm);
extern void fm_p_merged_keys(PState *ps, PModel *pm);
extern void fm_p_prisma_unstated(PState *ps, const FmTable *t, FmList *leading);
extern void fm_p_unmanaged(PState *ps, const FmTable *t, FmList *leading);
extern bool fm_p_states_checks(PState *ps, const FmTable *t);
/* print_partition.c */
extern bool fm_p_lineage_unstated(PState *ps, PModel *pm);
extern const char *const fm_p_fk_deferrable;
extern const char *fm_p_lineage_field(PState *ps, PModel *pm, const char *col);
extern const FmTable *fm_p_prisma_child(PState *ps, const FmTable *t);
extern void fm_p_table_lineage(PState *ps, const FmTable *t, FmAstBlock *b);

/* print_exclude.c: @@exclude */
extern FmAstAttribute *fm_p_exclusion_attr(PState *ps, PModel *pm,
										   const FmExclusion *x, bool map);

/* print_relations.c */
extern void fm_p_find_m2m(PState *ps);
extern bool fm_p_is_key_of(const PModel *pm, const FmList *cols, bool ordered);
extern void fm_p_relations(PState *ps);
extern void fm_p_prev_relations(PState *ps);
extern char *fm_p_rel_key(PState *ps, const char *kind, const FmTable *t, const FmList *cols);
extern PRel *fm_p_add_rel(PState *ps, PModel *pm, const char *want, char *key);
extern const char *fm_p_fk_problem(PState *ps, PModel *pm, const FmForeignKey *fk,
								   PModel *target, bool *opt);

/* print_prisma.c: the prisma dialect's names, relations and blocks */
extern char *fm_p_prisma_sanitize(FmArena *arena, const char *s);
extern char *fm_p_prisma_type_name(PState *ps, const char *schema, const char *name,
								   char **base);
extern void fm_p_prisma_name_models(PState *ps);
extern void fm_p_prisma_name_fields(PState *ps, PModel *pm);
extern void fm_p_prisma_relations(PState *ps);
extern const char *fm_p_prisma_no_key_doc;
extern FmAstBlock *fm_p_prisma_generator_block(PState *ps);
/* the generator blocks of the pulled text (the previous text's, kept) */
extern void fm_p_prisma_generators(PState *ps, FmList *blocks);
extern bool fm_p_prisma_ukey_on_field(PState *ps, const PModel *pm,
									  const FmIndex *ix);
extern void fm_p_prisma_field_unique(PState *ps, PModel *pm, const FmColumn *c,
									 FmAstField *fld, PForce *f);
extern void fm_p_prisma_preforce(PState *ps, PForce *f);

/* objects whose names need map: (print.c's fixpoint) */
struct PForce
{
	FmHashMap	map;			/* "table pointer/kind/name" -> non-NULL */
};

/* AST constructors and the forced names (print.c) */
extern FmAstBlock *fm_p_new_block(PState *ps, FmAstBlockKind kind, const char *keyword,
								  const char *name);
extern void fm_p_block_field(PState *ps, FmAstBlock *b, FmAstField *f);
extern FmAstField *fm_p_new_field(PState *ps, const char *name, const char *type_name);
extern void fm_p_add_map_arg(PState *ps, FmAstAttribute *at, const char *name);
extern bool fm_p_forced(PState *ps, PForce *f, const FmTable *t, const char *kind,
						const char *name);
extern void fm_p_force(PState *ps, PForce *f, const FmTable *t, const char *kind,
					   const char *name);

/* print_maps.c: force map: on every name the validated text v differs in */
extern int	fm_p_compare_names(PState *ps, PForce *f, const FmModel *v);
extern FmAstValue *fm_p_str(PState *ps, const char *s);
extern FmAstValue *fm_p_ident(PState *ps, const char *s);
extern FmAstValue *fm_p_call(PState *ps, const char *fn);
extern FmAstValue *fm_p_array(PState *ps);
extern FmAstAttribute *fm_p_attr(PState *ps, const char *name, bool block);
extern FmAstAttribute *fm_p_attr1(PState *ps, const char *name, bool block,
								  FmAstValue *v);
extern void fm_p_block_attr(PState *ps, FmAstBlock *b, FmAstAttribute *at);
extern void fm_p_arg(PState *ps, FmList *args, const char *name, FmAstValue *v);
extern FmAstValue *fm_p_name_list(PState *ps, PModel *pm, const FmList *columns);
extern int	fm_p_column_index(const FmTable *t, const char *column);

#endif							/* PRINT_INT_H */
