/* TEMPORARY debug path for introspection: dumps the live model as text. */
#include "postgres.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/array.h"
#include "catalog/pg_type.h"
#include "ferriorm.h"
#include "fm_plan_int.h"

PG_FUNCTION_INFO_V1(ferriorm_debug_introspect);

static const char *s_(const char *s) { return s ? s : "-"; }

Datum
ferriorm_debug_introspect(PG_FUNCTION_ARGS)
{
	FmArena *a = fm_backend_arena();
	ArrayType *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum *el; bool *nu; int n;
	FmList schemas = {0};
	FmModel *m;
	FmBuf b;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &el, &nu, &n);
	for (int i = 0; i < n; i++)
		fm_list_append(a, &schemas, fm_strdup(a, TextDatumGetCString(el[i])));
	m = fm_introspect(a, &schemas);
	fm_buf_init(&b, a);
	for (int i = 0; i < m->enums.n; i++) {
		FmEnum *e = fm_list_get(&m->enums, i, FmEnum);
		fm_buf_printf(&b, "enum %s.%s [%s]:", e->schema, e->name, s_(e->comment));
		for (int j = 0; j < e->values.n; j++) fm_buf_printf(&b, " %s", fm_list_get(&e->values, j, FmEnumValue)->name);
		fm_buf_append(&b, "\n");
	}
	for (int i = 0; i < m->tables.n; i++) {
		FmTable *t = fm_list_get(&m->tables, i, FmTable);
		fm_buf_printf(&b, "table %s.%s [%s]\n", t->schema, t->name, s_(t->comment));
		for (int j = 0; j < t->columns.n; j++) {
			FmColumn *c = fm_list_get(&t->columns, j, FmColumn);
			fm_buf_printf(&b, "  col %s %s%s%s%s notnull=%d default=%s autoinc=%d comment=%s\n", c->name,
				c->type.kind == FM_TYPE_ENUM ? "enum:" : "", s_(c->type.enum_schema), c->type.kind == FM_TYPE_ENUM ? "." : "",
				c->type.kind == FM_TYPE_ENUM ? s_(c->type.enum_name) : s_(c->type.sql), c->notnull, s_(c->default_sql), c->autoinc, s_(c->comment));
		}
		if (t->primary_key) { fm_buf_printf(&b, "  pk %s:", t->primary_key->name); for (int j=0;j<t->primary_key->columns.n;j++) fm_buf_printf(&b, " %s", fm_list_get(&t->primary_key->columns,j,char)); fm_buf_append(&b,"\n"); }
		for (int k = 0; k < t->uniques.n; k++) { FmKey *u = fm_list_get(&t->uniques,k,FmKey); fm_buf_printf(&b, "  unique %s:", u->name); for (int j=0;j<u->columns.n;j++) fm_buf_printf(&b, " %s", fm_list_get(&u->columns,j,char)); fm_buf_append(&b,"\n"); }
		for (int k = 0; k < t->indexes.n; k++) { FmIndex *x = fm_list_get(&t->indexes,k,FmIndex); fm_buf_printf(&b, "  index %s unique=%d %s where=%s:", x->name, x->unique, x->method, s_(x->predicate));
			for (int j=0;j<x->elems.n;j++) { FmIndexElem *e = fm_list_get(&x->elems,j,FmIndexElem); fm_buf_printf(&b, " [%s|%s sort=%d nulls=%d ops=%s]", s_(e->column), s_(e->expr), e->sort, e->nulls, s_(e->opclass)); }
			if (x->include.n) { fm_buf_append(&b, " include"); for (int j=0;j<x->include.n;j++) fm_buf_printf(&b, " %s", fm_list_get(&x->include,j,char)); }
			fm_buf_append(&b,"\n"); }
		for (int k = 0; k < t->foreign_keys.n; k++) { FmForeignKey *f = fm_list_get(&t->foreign_keys,k,FmForeignKey); fm_buf_printf(&b, "  fk %s (", f->name);
			for (int j=0;j<f->columns.n;j++) fm_buf_printf(&b, " %s", fm_list_get(&f->columns,j,char));
			fm_buf_printf(&b, ") -> %s.%s (", f->ref_schema, f->ref_table);
			for (int j=0;j<f->ref_columns.n;j++) fm_buf_printf(&b, " %s", fm_list_get(&f->ref_columns,j,char));
			fm_buf_printf(&b, ") del=%d upd=%d def=%d initdef=%d\n", f->on_delete, f->on_update, f->deferrable, f->initially_deferred); }
		for (int k = 0; k < t->checks.n; k++) { FmCheck *c = fm_list_get(&t->checks,k,FmCheck); fm_buf_printf(&b, "  check %s: %s\n", c->name, c->expr); }
	}
	PG_RETURN_TEXT_P(cstring_to_text(b.data ? b.data : ""));
}
