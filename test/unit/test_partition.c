/*-------------------------------------------------------------------------
 *
 * test_partition.c
 *	  Unit tests of partitioning and inheritance in the core: the validator
 *	  (@@partitionBy, @@partitionOf, @@inherits), DDL rendering, the diff
 *	  (creation and drop order, recreation, detach and attach, inherited
 *	  columns) and the printer (print -> validate gives the same model).
 *
 * test/unit/test_partition.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "fm_diff.h"
#include "fm_parse.h"
#include "fm_preserve.h"
#include "fm_print.h"
#include "fm_test.h"

static FmArena *A;

#define DS "datasource db {\n  provider = \"postgresql\"\n  url = env(\"U\")\n  schemas = [\"s\"]\n}\n"

static const char *const TREE =
	"model Ev {\n  id Int\n  day DateTime @db.Date\n  kind String\n"
	"  @@id([id, day, kind])\n  @@partitionBy(Range, [day])\n  @@map(\"ev\")\n  @@schema(\"s\")\n}\n"
	"model Ev24 {\n  @@partitionOf(Ev, values: \"FROM ('2024-01-01') TO ('2025-01-01')\")\n"
	"  @@map(\"ev_24\")\n  @@schema(\"s\")\n}\n"
	"model EvRest {\n  @@partitionOf(Ev, values: default)\n  @@partitionBy(List, [kind])\n"
	"  @@map(\"ev_rest\")\n  @@schema(\"s\")\n}\n"
	"model Tag {\n  id Int\n  name String\n  @@partitionBy(Hash, [raw(\"lower(name)\"), raw(\"id + 1\")])\n"
	"  @@map(\"tag\")\n  @@schema(\"s\")\n}\n"
	"model Base {\n  id Int @id\n  @@map(\"base\")\n  @@schema(\"s\")\n}\n"
	"model Other {\n  id Int @id\n  @@map(\"other\")\n  @@schema(\"s\")\n}\n"
	"model Kid {\n  x Int\n  @@inherits([Base, Other])\n  @@map(\"kid\")\n  @@schema(\"s\")\n}\n";

static FmModel *
parse(const char *body)
{
	FmDiagList	diags;
	char	   *text = fm_psprintf(A, "%s%s", DS, body);
	FmModel    *m;

	fm_diags_init(&diags, A);
	m = fm_parse_schema(A, text, strlen(text), FM_DIALECT_FERRIORM, &diags);
	if (diags.nerrors)
		fprintf(stderr, "%s", fm_diags_to_text(A, &diags));
	FM_CHECK_INT(diags.nerrors, 0);
	return m;
}

/* the diagnostics of body, as text; "" when it validates */
static char *
errors(const char *body, FmDialectKind dialect)
{
	FmDiagList	diags;
	char	   *text = fm_psprintf(A, "%s%s%s",
								   dialect == FM_DIALECT_FERRIORM ? "" :
								   "generator c {\n  provider = \"prisma-client-js\"\n}\n",
								   DS, body);

	fm_diags_init(&diags, A);
	(void) fm_parse_schema(A, text, strlen(text), dialect, &diags);
	return fm_diags_to_text(A, &diags);
}

static char *
script(const FmModel *from, const FmModel *to)
{
	return fm_plan_to_script(A, fm_diff(A, from, to, NULL));
}

static void
test_validate(void)
{
	FmModel    *m = parse(TREE);
	FmTable    *ev = fm_model_find_table(m, "s", "ev");
	FmTable    *rest = fm_model_find_table(m, "s", "ev_rest");
	FmTable    *tag = fm_model_find_table(m, "s", "tag");
	FmTable    *kid = fm_model_find_table(m, "s", "kid");
	FmIndexElem *el;

	FM_CHECK(ev != NULL && rest != NULL && tag != NULL && kid != NULL);
	FM_CHECK_STR(ev->partition_by->strategy, "range");
	FM_CHECK_STR(fm_list_get(&ev->partition_by->elems, 0, FmIndexElem)->column, "day");
	FM_CHECK_STR(fm_model_find_table(m, "s", "ev_24")->part_bound,
				 "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
	FM_CHECK_STR(rest->part_bound, "DEFAULT");
	FM_CHECK_STR(rest->part_parent, "ev");
	/* sub-partitioning names the parent's field */
	FM_CHECK_STR(fm_list_get(&rest->partition_by->elems, 0, FmIndexElem)->column, "kind");
	FM_CHECK_INT(rest->columns.n, 0);
	/* a call stays bare, anything else is parenthesized, as PostgreSQL prints */
	el = fm_list_get(&tag->partition_by->elems, 0, FmIndexElem);
	FM_CHECK_STR(el->expr, "lower(name)");
	el = fm_list_get(&tag->partition_by->elems, 1, FmIndexElem);
	FM_CHECK_STR(el->expr, "(id + 1)");
	FM_CHECK_INT(kid->inherits.n, 2);
	FM_CHECK_STR(fm_list_get(&kid->inherits, 1, FmTableRef)->name, "other");
	FM_CHECK_INT(fm_table_depth(m, kid), 1);
	FM_CHECK_INT(fm_table_depth(m, fm_model_find_table(m, "s", "ev_24")), 1);
	FM_CHECK(fm_table_parent(m, rest) == ev);
}

static void
test_validate_errors(void)
{
	char	   *e;

	/* a bound cannot leave its clause */
	e = errors("model P {\n  id Int\n  @@partitionBy(Range, [id])\n}\n"
			   "model A {\n  @@partitionOf(P, values: \"FROM (1) TO (2) WITH (fillfactor = 1)\")\n}\n"
			   "model B {\n  @@partitionOf(P, values: \"FROM (1) TO (2); DROP TABLE x\")\n}\n"
			   "model C {\n  @@partitionOf(P, values: \"IN (1)) PARTITION BY LIST ((1\")\n}\n"
			   "model D {\n  @@partitionOf(P, values: \"TO (1)\")\n}\n",
			   FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "line 11") != NULL && strstr(e, "must be what follows FOR VALUES") != NULL);
	FM_CHECK(strstr(e, "line 14") != NULL && strstr(e, "semicolon") != NULL);
	FM_CHECK(strstr(e, "line 17, column 28: error: the SQL text") != NULL);
	FM_CHECK(strstr(e, "line 20, column 28: error: the bound") != NULL);
	/* a cycle */
	e = errors("model A {\n  x Int\n  @@inherits([B])\n}\n"
			   "model B {\n  x Int\n  @@inherits([A])\n}\n", FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "its own ancestor") != NULL);
	/* a partition of a model that is not partitioned; fields on a partition */
	e = errors("model A {\n  id Int @id\n}\n"
			   "model B {\n  x Int\n  @@partitionOf(A, values: default)\n}\n", FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "cannot declare fields") != NULL);
	e = errors("model A {\n  id Int @id\n}\n"
			   "model B {\n  @@partitionOf(A, values: default)\n}\n", FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "has no @@partitionBy") != NULL);
	/* the prisma dialect cannot state them */
	e = errors("model A {\n  id Int @id\n  @@partitionBy(Range, [id])\n}\n", FM_DIALECT_AUTO);
	FM_CHECK(strstr(e, "is ferriorm's") != NULL);
	/* keyless partitioned tables, partitions and children are valid */
	FM_CHECK_STR(errors("model A {\n  id Int\n  @@partitionBy(Hash, [id])\n}\n"
						"model B {\n  @@partitionOf(A, values: \"WITH (MODULUS 1, REMAINDER 0)\")\n}\n"
						"model C {\n  y Int\n  @@inherits(A)\n}\n", FM_DIALECT_FERRIORM), "");
}

static void
test_render_order(void)
{
	char	   *up = script(NULL, parse(TREE));
	char	   *down = script(parse(TREE), NULL);

	FM_CHECK(strstr(up, "CREATE TABLE \"s\".\"ev\" (") < strstr(up, "PARTITION OF \"s\".\"ev\""));
	FM_CHECK(strstr(up, ") PARTITION BY RANGE (\"day\");") != NULL);
	FM_CHECK(strstr(up, "CREATE TABLE \"s\".\"ev_rest\" PARTITION OF \"s\".\"ev\" DEFAULT PARTITION BY LIST (\"kind\");") != NULL);
	FM_CHECK(strstr(up, "PARTITION BY HASH (lower(name), (id + 1))") != NULL);
	FM_CHECK(strstr(up, ") INHERITS (\"s\".\"base\", \"s\".\"other\");") != NULL);
	FM_CHECK(strstr(up, "CREATE TABLE \"s\".\"other\"") < strstr(up, "CREATE TABLE \"s\".\"kid\""));
	/* children dropped first */
	FM_CHECK(strstr(down, "DROP TABLE \"s\".\"kid\"") < strstr(down, "DROP TABLE \"s\".\"base\""));
	FM_CHECK(strstr(down, "DROP TABLE \"s\".\"ev_24\"") < strstr(down, "DROP TABLE \"s\".\"ev\";"));
	FM_CHECK_INT(fm_diff(A, parse(TREE), parse(TREE), NULL)->steps.n, 0);
}

static void
test_diff_moves(void)
{
	const char *moved =
		"model Ev {\n  id Int\n  day DateTime @db.Date\n  kind String\n"
		"  @@id([id, day, kind])\n  @@partitionBy(Range, [day])\n  @@map(\"ev\")\n  @@schema(\"s\")\n}\n"
		"model Ev24 {\n  @@partitionOf(Ev, values: \"FROM ('2024-01-01') TO ('2026-01-01')\")\n"
		"  @@map(\"ev_24\")\n  @@schema(\"s\")\n}\n";
	const char *before =
		"model Ev {\n  id Int\n  day DateTime @db.Date\n  kind String\n"
		"  @@id([id, day, kind])\n  @@partitionBy(Range, [day])\n  @@map(\"ev\")\n  @@schema(\"s\")\n}\n"
		"model Ev24 {\n  @@partitionOf(Ev, values: \"FROM ('2024-01-01') TO ('2025-01-01')\")\n"
		"  @@map(\"ev_24\")\n  @@schema(\"s\")\n}\n";
	FmPlan	   *p = fm_diff(A, parse(before), parse(moved), NULL);
	FmStep	   *s;

	FM_CHECK_INT(p->steps.n, 2);
	s = fm_list_get(&p->steps, 0, FmStep);
	FM_CHECK_STR(s->ddl, "ALTER TABLE \"s\".\"ev\" DETACH PARTITION \"s\".\"ev_24\";");
	FM_CHECK_INT(s->hazard, FM_HAZARD_DETACH_PARTITION);
	FM_CHECK_INT(s->kind, FM_STEP_DETACH_PARTITION);
	FM_CHECK_STR(s->lock_table, "ev_24");
	FM_CHECK_STR(s->ref_table, "ev");
	s = fm_list_get(&p->steps, 1, FmStep);
	FM_CHECK_STR(s->ddl, "ALTER TABLE \"s\".\"ev\" ATTACH PARTITION \"s\".\"ev_24\" FOR VALUES FROM ('2024-01-01') TO ('2026-01-01');");
	FM_CHECK_INT(s->hazard, FM_HAZARD_ATTACH_PARTITION);
	FM_CHECK(fm_step_facts(FM_STEP_ATTACH_PARTITION)->scan);
	FM_CHECK_STR(fm_hazard_name(s->hazard), "attach_partition");
}

static void
test_diff_recreate(void)
{
	const char *a = "model T {\n  id Int\n  @@partitionBy(Hash, [id])\n  @@map(\"t\")\n  @@schema(\"s\")\n}\n"
		"model T0 {\n  @@partitionOf(T, values: \"WITH (MODULUS 1, REMAINDER 0)\")\n  @@map(\"t0\")\n  @@schema(\"s\")\n}\n";
	const char *b = "model T {\n  id BigInt\n  @@partitionBy(Hash, [id])\n  @@map(\"t\")\n  @@schema(\"s\")\n}\n"
		"model T0 {\n  @@partitionOf(T, values: \"WITH (MODULUS 1, REMAINDER 0)\")\n  @@map(\"t0\")\n  @@schema(\"s\")\n}\n";
	const char *c = "model T {\n  id Int\n  @@partitionBy(Range, [id])\n  @@map(\"t\")\n  @@schema(\"s\")\n}\n";
	char	   *sc;

	/* a key column retyped: the tree is dropped, children first, then created */
	sc = script(parse(a), parse(b));
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"t0\"") < strstr(sc, "DROP TABLE \"s\".\"t\";"));
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"t\";") < strstr(sc, "CREATE TABLE \"s\".\"t\""));
	FM_CHECK(strstr(sc, "ALTER COLUMN") == NULL);
	/* a strategy changed; the partition goes */
	sc = script(parse(a), parse(c));
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"t\";") < strstr(sc, "PARTITION BY RANGE"));
	/* a plain table made a child: recreated */
	sc = script(parse("model B {\n  id Int @id\n  @@map(\"b\")\n  @@schema(\"s\")\n}\n"
					  "model K {\n  x Int @id\n  @@map(\"k\")\n  @@schema(\"s\")\n}\n"),
				parse("model B {\n  id Int @id\n  @@map(\"b\")\n  @@schema(\"s\")\n}\n"
					  "model K {\n  x Int @id\n  @@inherits(B)\n  @@map(\"k\")\n  @@schema(\"s\")\n}\n"));
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"k\";") < strstr(sc, "INHERITS (\"s\".\"b\")"));
	/* the enum of a key column recreated (a value removed): the tree is recreated */
	sc = script(parse("enum Color {\n  red\n  green\n  blue\n  @@schema(\"s\")\n}\n"
					  "model T {\n  id Int\n  c Color\n  @@id([id, c])\n  @@partitionBy(List, [c])\n  @@map(\"t\")\n  @@schema(\"s\")\n}\n"),
				parse("enum Color {\n  red\n  green\n  @@schema(\"s\")\n}\n"
					  "model T {\n  id Int\n  c Color\n  @@id([id, c])\n  @@partitionBy(List, [c])\n  @@map(\"t\")\n  @@schema(\"s\")\n}\n"));
	FM_CHECK(strstr(sc, "ALTER COLUMN \"c\" TYPE") == NULL);
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"t\";") != NULL);
}

static void
test_diff_attach_plain(void)
{
	const char *parent = "model L {\n  id Int\n  d DateTime @db.Date\n  @@id([id, d])\n"
		"  @@partitionBy(Range, [d])\n  @@map(\"l\")\n  @@schema(\"s\")\n}\n";
	char	   *plain = fm_psprintf(A, "%smodel P {\n  id Int\n  d DateTime @db.Date\n  @@id([id, d])\n"
								  "  @@map(\"p\")\n  @@schema(\"s\")\n}\n", parent);
	char	   *other = fm_psprintf(A, "%smodel P {\n  id Int\n  d DateTime @db.Date\n  x Int?\n"
								  "  @@id([id, d])\n  @@map(\"p\")\n  @@schema(\"s\")\n}\n", parent);
	char	   *part = fm_psprintf(A, "%smodel P {\n  @@partitionOf(L, values: \"FROM ('2020-01-01') TO ('2021-01-01')\")\n"
								 "  @@map(\"p\")\n  @@schema(\"s\")\n}\n", parent);
	char	   *sc;

	/* the same columns: its key gives way, then it is attached */
	sc = script(parse(plain), parse(part));
	FM_CHECK(strstr(sc, "DROP TABLE") == NULL);
	FM_CHECK(strstr(sc, "DROP CONSTRAINT \"p_pkey\"") != NULL);
	FM_CHECK(strstr(sc, "DROP CONSTRAINT") < strstr(sc, "ATTACH PARTITION \"s\".\"p\" FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');"));
	/* its own CHECK named like the parent's is dropped by the CHECK phase: added back */
	sc = script(parse("model R {\n  id Int\n  @@id([id])\n  @@check(\"id > 0\", map: \"w\")\n"
					  "  @@partitionBy(Range, [id])\n  @@map(\"r\")\n  @@schema(\"s\")\n}\n"
					  "model C {\n  id Int @id\n  @@check(\"id > 0\", map: \"w\")\n  @@map(\"c\")\n  @@schema(\"s\")\n}\n"),
				parse("model R {\n  id Int\n  @@id([id])\n  @@check(\"id > 0\", map: \"w\")\n"
					  "  @@partitionBy(Range, [id])\n  @@map(\"r\")\n  @@schema(\"s\")\n}\n"
					  "model C {\n  @@partitionOf(R, values: \"FROM (0) TO (10)\")\n  @@map(\"c\")\n  @@schema(\"s\")\n}\n"));
	FM_CHECK(strstr(sc, "ALTER TABLE \"s\".\"c\" DROP CONSTRAINT \"w\"") <
			 strstr(sc, "ALTER TABLE \"s\".\"c\" ADD CONSTRAINT \"w\""));
	FM_CHECK(strstr(sc, "ALTER TABLE \"s\".\"c\" ADD CONSTRAINT \"w\"") <
			 strstr(sc, "ATTACH PARTITION \"s\".\"c\""));
	FM_CHECK(strstr(sc, "DROP CONSTRAINT IF EXISTS") == NULL);
	/* other columns: recreated */
	sc = script(parse(other), parse(part));
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"p\";") != NULL && strstr(sc, "ATTACH") == NULL);
}

/* the three trees A, B, C of hash partitioned models with the given bodies, and P in parent */
static char *
trees(const char *a, const char *b, const char *c, const char *parent)
{
	return fm_psprintf(A,
					   "model A {\n  id Int\n%s  @@partitionBy(Hash, [id])\n  @@map(\"a\")\n  @@schema(\"s\")\n}\n"
					   "model B {\n  id Int\n%s  @@partitionBy(Hash, [id])\n  @@map(\"b\")\n  @@schema(\"s\")\n}\n"
					   "model C {\n  id Int\n%s  @@partitionBy(Hash, [id])\n  @@map(\"c\")\n  @@schema(\"s\")\n}\n"
					   "model P {\n  @@partitionOf(%s, values: \"WITH (MODULUS 1, REMAINDER 0)\")\n"
					   "  @@map(\"p\")\n  @@schema(\"s\")\n}\n", a, b, c, parent);
}

static void
test_diff_move_trees(void)
{
	const char *x = "  x Int\n";
	const char *g2 = "  g Int @generated(\"id * 2\")\n";
	const char *g3 = "  g Int @generated(\"id * 3\")\n";
	char	   *sc;

	/* to a tree of the same columns: DETACH then ATTACH, nothing dropped */
	sc = script(parse(trees(x, x, x, "A")), parse(trees(x, x, x, "B")));
	FM_CHECK(strstr(sc, "DROP TABLE") == NULL);
	FM_CHECK(strstr(sc, "DETACH PARTITION \"s\".\"p\"") < strstr(sc, "ATTACH PARTITION \"s\".\"p\""));
	/* to a tree of other columns: dropped and created again */
	sc = script(parse(trees(x, "", x, "A")), parse(trees(x, "", x, "B")));
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"p\";") != NULL);
	FM_CHECK(strstr(sc, "ATTACH") == NULL && strstr(sc, "DETACH") == NULL);
	/* to a tree of another generation expression: the same */
	sc = script(parse(trees(g2, "", g3, "A")), parse(trees(g2, "", g3, "C")));
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"p\";") != NULL && strstr(sc, "ATTACH") == NULL);
	/* the old parent gains a column: the partition leaves before, and moves */
	sc = script(parse(trees(x, x, x, "A")), parse(trees("  x Int\n  y Int?\n", x, x, "B")));
	FM_CHECK(strstr(sc, "DROP TABLE") == NULL);
	FM_CHECK(strstr(sc, "DETACH PARTITION \"s\".\"p\"") < strstr(sc, "ADD COLUMN \"y\""));
	FM_CHECK(strstr(sc, "ADD COLUMN \"y\"") < strstr(sc, "ATTACH PARTITION \"s\".\"p\""));
	/* the new parent gains or loses a column: recreated (a drop comes after the ATTACH) */
	sc = script(parse(trees(x, x, x, "A")), parse(trees(x, "  x Int\n  y Int?\n", x, "B")));
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"p\";") != NULL && strstr(sc, "ATTACH") == NULL);
	sc = script(parse(trees("", x, "", "A")), parse(trees("", "", "", "B")));
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"p\";") != NULL && strstr(sc, "ATTACH") == NULL);
}

/*
 * plan has one DROP TABLE hazard, of table dropped, whose hazard_spared
 * names partition spared alone
 */
static void
check_spared(const FmPlan *plan, const char *dropped, const char *spared)
{
	int			found = 0;

	for (int i = 0; i < plan->steps.n; i++)
	{
		FmStep	   *st = fm_list_get(&plan->steps, i, FmStep);

		if (st->hazard != FM_HAZARD_DROP_TABLE)
			continue;
		found++;
		FM_CHECK_STR(st->hazard_table, dropped);
		FM_CHECK_INT(st->hazard_spared.n, 1);
		if (st->hazard_spared.n == 1)
			FM_CHECK_STR(fm_list_get(&st->hazard_spared, 0, FmTableRef)->name, spared);
	}
	FM_CHECK_INT(found, 1);
}

static void
test_diff_move_order(void)
{
	const char *r = "model R1 {\n  id Int\n  @@id([id])\n  @@partitionBy(Range, [id])\n  @@map(\"r1\")\n  @@schema(\"s\")\n}\n";
	const char *p1 = "model P1 {\n  @@partitionOf(R1, values: \"FROM (0) TO (100)\")\n  @@partitionBy(Range, [id])\n"
		"  @@map(\"p1\")\n  @@schema(\"s\")\n}\n";
	char	   *sc;
	const char *det;

	/* a bound changed while the parent gains a generated column: detached after it */
	sc = script(parse(fm_psprintf(A, "%smodel C {\n  @@partitionOf(R1, values: \"FROM (0) TO (10)\")\n"
								  "  @@map(\"c\")\n  @@schema(\"s\")\n}\n", r)),
				parse(fm_psprintf(A, "model R1 {\n  id Int\n  g Int @generated(\"id * 2\")\n  @@id([id])\n"
								  "  @@partitionBy(Range, [id])\n  @@map(\"r1\")\n  @@schema(\"s\")\n}\n"
								  "model C {\n  @@partitionOf(R1, values: \"FROM (0) TO (20)\")\n"
								  "  @@map(\"c\")\n  @@schema(\"s\")\n}\n"
								  "model D {\n  @@partitionOf(R1, values: \"FROM (20) TO (30)\")\n"
								  "  @@map(\"d\")\n  @@schema(\"s\")\n}\n")));
	det = strstr(sc, "DETACH PARTITION \"s\".\"c\"");
	FM_CHECK(det != NULL && strstr(sc, "ADD COLUMN \"g\"") < det);
	FM_CHECK(det < strstr(sc, "ATTACH PARTITION \"s\".\"c\""));
	/* a new partition takes a moved one's old bound: created after the DETACH */
	sc = script(parse(fm_psprintf(A, "%smodel C {\n  @@partitionOf(R1, values: \"FROM (0) TO (10)\")\n"
								  "  @@map(\"c\")\n  @@schema(\"s\")\n}\n", r)),
				parse(fm_psprintf(A, "%smodel C {\n  @@partitionOf(R1, values: \"FROM (10) TO (20)\")\n"
								  "  @@map(\"c\")\n  @@schema(\"s\")\n}\n"
								  "model D {\n  @@partitionOf(R1, values: \"FROM (0) TO (10)\")\n"
								  "  @@map(\"d\")\n  @@schema(\"s\")\n}\n", r)));
	det = strstr(sc, "DETACH PARTITION \"s\".\"c\"");
	FM_CHECK(det != NULL && det < strstr(sc, "CREATE TABLE \"s\".\"d\""));
	/* the old parent is dropped: the partition leaves it first */
	sc = script(parse(fm_psprintf(A, "%s%smodel C {\n  @@partitionOf(P1, values: \"FROM (0) TO (10)\")\n"
								  "  @@map(\"c\")\n  @@schema(\"s\")\n}\n", r, p1)),
				parse(fm_psprintf(A, "%smodel C {\n  @@partitionOf(R1, values: \"FROM (0) TO (10)\")\n"
								  "  @@map(\"c\")\n  @@schema(\"s\")\n}\n", r)));
	det = strstr(sc, "ALTER TABLE \"s\".\"p1\" DETACH PARTITION \"s\".\"c\"");
	FM_CHECK(det != NULL && det < strstr(sc, "DROP TABLE \"s\".\"p1\""));
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"c\"") == NULL);
	/* and the drop's hazard does not count its rows (hazard_spared) */
	{
		FmPlan	   *plan = fm_diff(A, parse(fm_psprintf(A, "%s%smodel C {\n  @@partitionOf(P1, values: \"FROM (0) TO (10)\")\n"
													   "  @@map(\"c\")\n  @@schema(\"s\")\n}\n", r, p1)),
								   parse(fm_psprintf(A, "%smodel C {\n  @@partitionOf(R1, values: \"FROM (0) TO (10)\")\n"
													   "  @@map(\"c\")\n  @@schema(\"s\")\n}\n", r)), NULL);

		check_spared(plan, "p1", "c");
	}
}

static void
test_diff_create_under_live(void)
{
	const char *m1 = "model M {\n  id Int\n  at DateTime @db.Date\n  @@partitionBy(Range, [at])\n"
		"  @@map(\"m\")\n  @@schema(\"s\")\n}\n";
	const char *m2 = "model M {\n  id Int\n  at DateTime @db.Date\n  k String\n  @@partitionBy(Range, [at])\n"
		"  @@map(\"m\")\n  @@schema(\"s\")\n}\n";
	const char *q1 = "model Q {\n  id Int @unique\n  at DateTime @db.Date\n  k String\n  @@map(\"q\")\n  @@schema(\"s\")\n}\n";
	const char *q2 = "model Q {\n  @@partitionOf(Mo, values: \"IN ('x')\")\n  @@map(\"q\")\n  @@schema(\"s\")\n}\n";
	const char *mo = "model Mo {\n  @@partitionOf(M, values: default)\n  @@partitionBy(List, [k])\n"
		"  @@map(\"mo\")\n  @@schema(\"s\")\n}\n"
		"model Moa {\n  @@partitionOf(Mo, values: \"IN ('a')\")\n  @@map(\"moa\")\n  @@schema(\"s\")\n}\n";
	char	   *sc;
	const char *add,
			   *mk,
			   *mka;

	/*
	 * a new partition of a live parent, keyed on a column the parent gains:
	 * created after the column is added, its own partition after it, and a
	 * table attached to it after both
	 */
	sc = script(parse(fm_psprintf(A, "%s%s", m1, q1)), parse(fm_psprintf(A, "%s%s%s", m2, mo, q2)));
	add = strstr(sc, "ADD COLUMN \"k\"");
	mk = strstr(sc, "CREATE TABLE \"s\".\"mo\" PARTITION OF");
	mka = strstr(sc, "CREATE TABLE \"s\".\"moa\" PARTITION OF");
	FM_CHECK(add != NULL && mk != NULL && mka != NULL);
	FM_CHECK(add < mk && mk < mka);
	FM_CHECK(mka < strstr(sc, "ATTACH PARTITION \"s\".\"q\""));
	/* under a parent the plan creates too: in the creation phase, parents first */
	sc = script(parse(q1), parse(fm_psprintf(A, "%s%s", m2, mo)));
	mk = strstr(sc, "CREATE TABLE \"s\".\"mo\" PARTITION OF");
	FM_CHECK(strstr(sc, "CREATE TABLE \"s\".\"m\"") < mk && mk < strstr(sc, "CREATE TABLE \"s\".\"moa\""));
}

static void
test_diff_renames(void)
{
	const char *part = "model C {\n  @@partitionOf(%s, values: \"FROM (0) TO (10)\")\n  @@map(\"c\")\n  @@schema(\"s\")\n}\n";
	char	   *sc;

	/* a partitioned table renamed: its partitions stay attached */
	sc = script(parse(fm_psprintf(A, "model R1 {\n  id Int\n  @@id([id])\n  @@partitionBy(Range, [id])\n"
								  "  @@map(\"r1\")\n  @@schema(\"s\")\n}\n%s", fm_psprintf(A, part, "R1"))),
				parse(fm_psprintf(A, "/// @renamed(from: \"r1\")\nmodel R3 {\n  id Int\n  @@id([id])\n  @@partitionBy(Range, [id])\n"
								  "  @@map(\"r3\")\n  @@schema(\"s\")\n}\n%s", fm_psprintf(A, part, "R3"))));
	FM_CHECK(strstr(sc, "ALTER TABLE \"s\".\"r1\" RENAME TO \"r3\";") != NULL);
	FM_CHECK(strstr(sc, "DETACH") == NULL && strstr(sc, "DROP TABLE") == NULL);
	/* a column of the partition key renamed: nothing recreated */
	sc = script(parse(fm_psprintf(A, "model R1 {\n  id Int\n  day Int\n  @@id([id, day])\n  @@partitionBy(Range, [day])\n"
								  "  @@map(\"r1\")\n  @@schema(\"s\")\n}\n%s", fm_psprintf(A, part, "R1"))),
				parse(fm_psprintf(A, "model R1 {\n  id Int\n  /// @renamed(from: \"day\")\n  dd Int\n  @@id([id, dd])\n"
								  "  @@partitionBy(Range, [dd])\n  @@map(\"r1\")\n  @@schema(\"s\")\n}\n%s",
								  fm_psprintf(A, part, "R1"))));
	FM_CHECK(strstr(sc, "RENAME COLUMN \"day\" TO \"dd\"") != NULL);
	FM_CHECK(strstr(sc, "DROP TABLE") == NULL);
	/* an inherited table renamed: its child stays */
	sc = script(parse("model Base {\n  id Int @id\n  @@map(\"base\")\n  @@schema(\"s\")\n}\n"
					  "model Kid {\n  x Int @id\n  @@inherits([Base])\n  @@map(\"kid\")\n  @@schema(\"s\")\n}\n"),
				parse("/// @renamed(from: \"base\")\nmodel Base2 {\n  id Int @id\n  @@map(\"base2\")\n  @@schema(\"s\")\n}\n"
					  "model Kid {\n  x Int @id\n  @@inherits([Base2])\n  @@map(\"kid\")\n  @@schema(\"s\")\n}\n"));
	FM_CHECK(strstr(sc, "RENAME TO \"base2\"") != NULL && strstr(sc, "DROP TABLE") == NULL);
}

static void
test_diff_generated_lineage(void)
{
	const char *ev = "model Ev {\n  id Int\n  price %s\n  total Int @generated(\"price * 2\")\n  @@id([id])\n"
		"  @@partitionBy(Range, [id])\n  @@map(\"ev\")\n  @@schema(\"s\")\n}\n"
		"model Ev24 {\n  @@partitionOf(Ev, values: \"FROM (0) TO (10)\")\n  @@index([total])\n"
		"  @@check(\"total > -5\", map: \"ev24_tot\")\n  @@map(\"ev24\")\n  @@schema(\"s\")\n}\n";
	const char *kid = "model Base {\n  id Int @id\n  price %s\n  @@map(\"base\")\n  @@schema(\"s\")\n}\n"
		"model Kid {\n  k Int @id\n  y Int @generated(\"price + 1\")\n  @@inherits([Base])\n  @@map(\"kid\")\n  @@schema(\"s\")\n}\n";
	char	   *sc;
	const char *drop;

	/*
	 * the root's generated column re-created (a column it reads retyped):
	 * the partition's own index and CHECK on it are dropped with it, and
	 * created again after
	 */
	sc = script(parse(fm_psprintf(A, ev, "Int")), parse(fm_psprintf(A, ev, "BigInt")));
	drop = strstr(sc, "ALTER TABLE \"s\".\"ev\" DROP COLUMN \"total\"");
	FM_CHECK(drop != NULL);
	FM_CHECK(drop < strstr(sc, "CREATE INDEX \"ev24_total_idx\""));
	FM_CHECK(drop < strstr(sc, "ALTER TABLE \"s\".\"ev24\" ADD CONSTRAINT \"ev24_tot\""));
	/* a child's generated column reading a column it inherits, retyped on the parent */
	sc = script(parse(fm_psprintf(A, kid, "Int")), parse(fm_psprintf(A, kid, "BigInt")));
	drop = strstr(sc, "ALTER TABLE \"s\".\"kid\" DROP COLUMN \"y\"");
	FM_CHECK(drop != NULL && drop < strstr(sc, "ALTER COLUMN \"price\" TYPE bigint"));
	FM_CHECK(strstr(sc, "ALTER COLUMN \"price\" TYPE bigint") < strstr(sc, "ALTER TABLE \"s\".\"kid\" ADD COLUMN \"y\""));
}

/* P and Q partitioned by id with the given fields; S a partition of parent */
static char *
two_trees(const char *pf, const char *qf, const char *parent, const char *extra)
{
	return fm_psprintf(A,
					   "%smodel P {\n  id Int\n%s  @@partitionBy(Range, [id])\n  @@map(\"p\")\n  @@schema(\"s\")\n}\n"
					   "model Q {\n  id Int\n%s  @@partitionBy(Range, [id])\n  @@map(\"q\")\n  @@schema(\"s\")\n}\n"
					   "model S {\n  @@partitionOf(%s, values: \"FROM (0) TO (100)\")\n  @@map(\"sp\")\n  @@schema(\"s\")\n}\n",
					   extra, pf, qf, parent);
}

static void
test_diff_move_late(void)
{
	const char *e3 = "enum E {\n  a\n  b\n  c\n  @@schema(\"s\")\n}\n";
	const char *e2 = "enum E {\n  a\n  b\n  @@schema(\"s\")\n}\n";
	char	   *sc;
	const char *det;

	/* the old parent stays: the partition leaves after its enum conversion */
	sc = script(parse(two_trees("  e E\n", "  e E\n", "P", e3)), parse(two_trees("  e E\n", "  e E\n", "Q", e2)));
	det = strstr(sc, "DETACH PARTITION \"s\".\"sp\"");
	FM_CHECK(strstr(sc, "DROP TABLE") == NULL);
	FM_CHECK(det != NULL && strstr(sc, "ALTER TABLE \"s\".\"p\" ALTER COLUMN \"e\" TYPE") < det);
	/* and after its NOT NULL is set, and its index dropped */
	sc = script(parse(two_trees("  x Int?\n  @@index([x])\n", "  x Int\n", "P", "")),
				parse(two_trees("  x Int\n", "  x Int\n", "Q", "")));
	det = strstr(sc, "DETACH PARTITION \"s\".\"sp\"");
	FM_CHECK(strstr(sc, "DROP TABLE") == NULL);
	FM_CHECK(det != NULL && strstr(sc, "SET NOT NULL") < det && strstr(sc, "DROP INDEX") < det);
	/* the old parent dropped while an enum is recreated: recreated (it would keep the old type) */
	sc = script(parse(two_trees("  e E\n", "  e E\n", "P", e3)),
				parse(fm_psprintf(A, "%smodel Q {\n  id Int\n  e E\n  @@partitionBy(Range, [id])\n  @@map(\"q\")\n  @@schema(\"s\")\n}\n"
								  "model S {\n  @@partitionOf(Q, values: \"FROM (0) TO (100)\")\n  @@map(\"sp\")\n  @@schema(\"s\")\n}\n", e2)));
	FM_CHECK(strstr(sc, "DROP TABLE \"s\".\"sp\"") != NULL && strstr(sc, "ATTACH") == NULL);
	/* a renamed partition leaving a dropped parent: spared by its live name */
	{
		FmPlan	   *plan = fm_diff(A, parse(two_trees("", "", "P", "")),
								   parse("model Q {\n  id Int\n  @@partitionBy(Range, [id])\n  @@map(\"q\")\n  @@schema(\"s\")\n}\n"
										 "/// @renamed(from: \"sp\")\nmodel S9 {\n  @@partitionOf(Q, values: \"FROM (0) TO (100)\")\n"
										 "  @@map(\"s9\")\n  @@schema(\"s\")\n}\n"), NULL);

		check_spared(plan, "p", "sp");
	}
}

/* the table of m named name, or NULL */
static FmTable *
table_named(FmModel *m, const char *name)
{
	for (int i = 0; i < m->tables.n; i++)
		if (strcmp(fm_list_get(&m->tables, i, FmTable)->name, name) == 0)
			return fm_list_get(&m->tables, i, FmTable);
	return NULL;
}

/*
 * A partition that moves to another parent drops, right after its DETACH,
 * the clones of its old parent's keys, indexes and foreign keys that its
 * new parent has nothing alike of (they would stay as its own); the others
 * are kept for the ATTACH to adopt.  Under the same parent nothing is
 * dropped.
 */
static void
test_diff_move_clones(void)
{
	FmModel    *from = parse(two_trees("  x Int\n  @@index([x])\n  @@unique([id, x])\n", "  x Int\n  @@unique([id, x])\n", "P", ""));
	FmTable    *p = table_named(from, "p");
	FmTable    *sp = table_named(from, "sp");
	FmClones   *cl = fm_alloc(A, sizeof(FmClones));
	FmIndex    *ix = fm_alloc(A, sizeof(FmIndex));
	FmKey	   *k = fm_alloc(A, sizeof(FmKey));
	char	   *sc;
	const char *det,
			   *att,
			   *drop;

	FM_CHECK(p != NULL && sp != NULL && p->indexes.n == 1 && p->uniques.n == 1);
	if (p == NULL || sp == NULL || p->indexes.n != 1 || p->uniques.n != 1)
		return;
	*ix = *fm_list_get(&p->indexes, 0, FmIndex);
	ix->name = "sp_x_idx";
	*k = *fm_list_get(&p->uniques, 0, FmKey);
	k->name = "sp_id_x_key";
	fm_list_append(A, &cl->indexes, ix);
	fm_list_append(A, &cl->uniques, k);
	sp->clones = cl;

	sc = script(from, parse(two_trees("  x Int\n  @@index([x])\n  @@unique([id, x])\n",
									  "  x Int\n  @@unique([id, x])\n", "Q", "")));
	det = strstr(sc, "DETACH PARTITION \"s\".\"sp\"");
	drop = strstr(sc, "DROP INDEX IF EXISTS \"s\".\"sp_x_idx\";");
	att = strstr(sc, "ATTACH PARTITION \"s\".\"sp\"");
	FM_CHECK(det != NULL && drop != NULL && att != NULL && det < drop && drop < att);
	FM_CHECK(strstr(sc, "sp_id_x_key") == NULL);
	/* online: the drop keeps its statement, with a note of its own */
	{
		FmPlan	   *plan = fm_diff(A, from, parse(two_trees("  x Int\n  @@index([x])\n  @@unique([id, x])\n",
															 "  x Int\n  @@unique([id, x])\n", "Q", "")), NULL);
		const FmStep *found = NULL;

		fm_plan_online(plan, NULL, 0);
		for (int i = 0; i < plan->steps.n; i++)
		{
			const FmStep *st = fm_list_get(&plan->steps, i, FmStep);

			if (strstr(st->ddl, "DROP INDEX IF EXISTS \"s\".\"sp_x_idx\";") != NULL)
				found = st;
		}
		FM_CHECK(found != NULL && !found->nontx && found->online_note != NULL &&
				 strstr(found->online_note, "between its DETACH and its ATTACH") != NULL);
	}
	/* the new parent lacks the key too: both go */
	sc = script(from, parse(two_trees("  x Int\n  @@index([x])\n  @@unique([id, x])\n",
									  "  x Int\n", "Q", "")));
	drop = strstr(sc, "ALTER TABLE \"s\".\"sp\" DROP CONSTRAINT IF EXISTS \"sp_id_x_key\";");
	att = strstr(sc, "ATTACH PARTITION \"s\".\"sp\"");
	FM_CHECK(drop != NULL && att != NULL && drop < att);
	FM_CHECK(strstr(sc, "DROP INDEX IF EXISTS \"s\".\"sp_x_idx\";") != NULL);
	/* from schema text without clones: inferred under PostgreSQL's names */
	{
		FmModel    *txt = parse(two_trees("  x Int\n  @@index([x(sort: Desc)], map: \"p_x_desc\")\n  @@unique([id, x])\n",
										  "  x Int\n", "P", ""));

		sc = script(txt, parse(two_trees("  x Int\n  @@index([x(sort: Desc)], map: \"p_x_desc\")\n  @@unique([id, x])\n",
										 "  x Int\n", "Q", "")));
		det = strstr(sc, "DETACH PARTITION \"s\".\"sp\"");
		att = strstr(sc, "ATTACH PARTITION \"s\".\"sp\"");
		drop = strstr(sc, "DROP INDEX IF EXISTS \"s\".\"sp_x_idx\";");
		FM_CHECK(det != NULL && drop != NULL && att != NULL && det < drop && drop < att);
		FM_CHECK(strstr(sc, "DROP CONSTRAINT IF EXISTS \"sp_id_x_key\";") != NULL);
	}
	/* another bound under the same parent: the ATTACH takes them back */
	{
		char	   *t2 = two_trees("  x Int\n  @@index([x])\n  @@unique([id, x])\n", "  x Int\n", "P", "");
		char	   *at = strstr(t2, "FROM (0) TO (100)");

		FM_CHECK(at != NULL);
		if (at != NULL)
			memcpy(at, "FROM (0) TO (200)", 17);
		sc = script(from, parse(t2));
		FM_CHECK(strstr(sc, "DETACH PARTITION") != NULL && strstr(sc, "IF EXISTS") == NULL);
	}
}

static void
test_diff_lineage_renames_gen(void)
{
	char	   *sc;

	/* a renamed column of a key carries to a sub-partition's key below */
	sc = script(parse("model P {\n  id Int\n  k Int\n  @@partitionBy(Range, [id])\n  @@map(\"p\")\n  @@schema(\"s\")\n}\n"
					  "model S {\n  @@partitionOf(P, values: \"FROM (0) TO (100)\")\n  @@partitionBy(List, [k])\n  @@map(\"sp\")\n  @@schema(\"s\")\n}\n"),
				parse("model P {\n  id Int\n  /// @renamed(from: \"k\")\n  kk Int\n  @@partitionBy(Range, [id])\n  @@map(\"p\")\n  @@schema(\"s\")\n}\n"
					  "model S {\n  @@partitionOf(P, values: \"FROM (0) TO (100)\")\n  @@partitionBy(List, [kk])\n  @@map(\"sp\")\n  @@schema(\"s\")\n}\n"));
	FM_CHECK(strstr(sc, "RENAME COLUMN \"k\" TO \"kk\"") != NULL && strstr(sc, "DROP TABLE") == NULL);
	/* a generated column of the second parent a table inherits: its index there re-created */
	sc = script(parse("model A1 {\n  id Int @id\n  @@map(\"a1\")\n  @@schema(\"s\")\n}\n"
					  "model A2 {\n  a Int @unique\n  g Int? @generated(\"a * 2\")\n  @@map(\"a2\")\n  @@schema(\"s\")\n}\n"
					  "model C {\n  own Int @id\n  @@inherits([A1, A2])\n  @@index([g])\n  @@map(\"c\")\n  @@schema(\"s\")\n}\n"),
				parse("model A1 {\n  id Int @id\n  @@map(\"a1\")\n  @@schema(\"s\")\n}\n"
					  "model A2 {\n  a Int @unique\n  g Int? @generated(\"a * 3\")\n  @@map(\"a2\")\n  @@schema(\"s\")\n}\n"
					  "model C {\n  own Int @id\n  @@inherits([A1, A2])\n  @@index([g])\n  @@map(\"c\")\n  @@schema(\"s\")\n}\n"));
	FM_CHECK(strstr(sc, "DROP COLUMN \"g\"") != NULL);
	FM_CHECK(strstr(sc, "DROP COLUMN \"g\"") < strstr(sc, "CREATE INDEX \"c_g_idx\""));
}

static void
test_diff_inherited_columns(void)
{
	/* a restated parent column is neither added to nor dropped from a child */
	const char *a = "model B {\n  id Int @id\n  n String\n  @@map(\"b\")\n  @@schema(\"s\")\n}\n"
		"model K {\n  x Int\n  @@inherits(B)\n  @@map(\"k\")\n  @@schema(\"s\")\n}\n";
	const char *b = "model B {\n  id Int @id\n  n String\n  @@map(\"b\")\n  @@schema(\"s\")\n}\n"
		"model K {\n  x Int\n  n String\n  @@inherits(B)\n  @@map(\"k\")\n  @@schema(\"s\")\n}\n";

	FM_CHECK_INT(fm_diff(A, parse(a), parse(b), NULL)->steps.n, 0);
	FM_CHECK_INT(fm_diff(A, parse(b), parse(a), NULL)->steps.n, 0);
	/* a new child restating (of another type) a column its parent drops: the drop first */
	{
		const char *c = "model B {\n  id Int @id\n  @@map(\"b\")\n  @@schema(\"s\")\n}\n"
			"model K {\n  x Int\n  n Int\n  @@inherits(B)\n  @@map(\"k\")\n  @@schema(\"s\")\n}\n";
		const char *only_b = "model B {\n  id Int @id\n  n String\n  @@map(\"b\")\n  @@schema(\"s\")\n}\n";
		char	   *sc = script(parse(only_b), parse(c));
		const char *drop = strstr(sc, "ALTER TABLE \"s\".\"b\" DROP COLUMN \"n\";");
		const char *create = strstr(sc, "CREATE TABLE \"s\".\"k\"");

		FM_CHECK(drop != NULL && create != NULL && drop < create);
	}
}

static void
test_keep_lineage(void)
{
	FmModel    *live = parse(TREE);
	FmModel    *to = parse("model Ev {\n  id Int\n  day DateTime @db.Date\n  kind String\n"
						   "  @@id([id, day, kind])\n  @@map(\"ev\")\n  @@schema(\"s\")\n}\n"
						   "model Base {\n  id Int @id\n  @@map(\"base\")\n  @@schema(\"s\")\n}\n"
						   "model Other {\n  id Int @id\n  @@map(\"other\")\n  @@schema(\"s\")\n}\n"
						   "model Kid {\n  x Int\n  @@map(\"kid\")\n  @@schema(\"s\")\n  @@ignore\n}\n"
						   "model Tag {\n  id Int\n  name String\n  @@map(\"tag\")\n  @@schema(\"s\")\n  @@ignore\n}\n");

	/* as the prisma dialect's tables are */
	for (int i = 0; i < to->tables.n; i++)
		fm_list_get(&to->tables, i, FmTable)->keep_unstated = true;
	fm_model_keep_preserved(A, live, to);
	fm_model_keep_lineage(A, live, to);
	/* the key and the partitions are kept: nothing is planned */
	FM_CHECK_STR(script(live, to), "");
}

static void
test_print_roundtrip(void)
{
	FmModel    *m = parse(TREE);
	FmPrintOptions opt;
	FmDiagList	diags;
	char	   *text;
	FmModel    *back;

	memset(&opt, 0, sizeof(opt));
	opt.print_schemas = true;
	fm_model_sort(m);
	fm_diags_init(&diags, A);
	text = fm_print_schema(A, m, &opt, &diags);
	FM_CHECK(text != NULL);
	if (text == NULL)
		return;
	FM_CHECK(strstr(text, "@@partitionBy(Hash, [raw(\"lower(name)\"), raw(\"id + 1\")])") != NULL);
	FM_CHECK(strstr(text, "@@partitionOf(Ev, values: default)") != NULL);
	FM_CHECK(strstr(text, "@@inherits([Base, Other])") != NULL);
	fm_diags_init(&diags, A);
	back = fm_parse_schema(A, text, strlen(text), FM_DIALECT_FERRIORM, &diags);
	FM_CHECK(back != NULL);
	if (back != NULL)
		FM_CHECK_INT(fm_diff(A, m, back, NULL)->steps.n, 0);
}

/*
 * A partition's CHECK named like its ancestor's is refused (PostgreSQL
 * merges it into the inherited one, and no plan ever converges); another
 * name is taken.
 */
static void
test_partition_check_names(void)
{
	const char *base =
		"model Ev {\n  id Int\n  day DateTime @db.Date\n  @@id([id, day])\n"
		"  @@check(\"id > 0\", map: \"pos\")\n  @@partitionBy(Range, [day])\n  @@schema(\"s\")\n}\n"
		"model Ev24 {\n  @@partitionOf(Ev, values: \"FROM ('2024-01-01') TO ('2025-01-01')\")\n"
		"  @@check(\"id > 0\", map: \"%s\")\n  @@schema(\"s\")\n}\n";
	char	   *e = errors(fm_psprintf(A, base, "pos"), FM_DIALECT_FERRIORM);

	FM_CHECK(strstr(e, "the CHECK constraint \"pos\" of partition \"ev24s\" has the name of a CHECK of its ancestor \"evs\"") != NULL);
	FM_CHECK_STR(errors(fm_psprintf(A, base, "pos24"), FM_DIALECT_FERRIORM), "");
}

/*
 * A partition's key or index named as PostgreSQL names its copy of an
 * ancestor's is refused (the copy takes the name first); under another
 * name, even of the same definition, it is the partition's own.
 */
static void
test_partition_clone_names(void)
{
	const char *base =
		"model Ev {\n  id Int\n  day DateTime @db.Date\n  note String\n  @@id([id, day, note])\n"
		"  @@unique([note, day])\n  @@index([note])\n  @@partitionBy(Range, [day])\n  @@schema(\"s\")\n}\n"
		"model Ev24 {\n  @@partitionOf(Ev, values: \"FROM ('2024-01-01') TO ('2025-01-01')\")\n"
		"  @@partitionBy(List, [note])\n  @@schema(\"s\")\n}\n"
		"model Ev24a {\n  @@partitionOf(Ev24, values: \"IN ('a')\")\n%s  @@schema(\"s\")\n}\n";
	char	   *e;

	e = errors(fm_psprintf(A, base, "  @@index([note])\n"), FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "error: the index \"ev24as_note_idx\" of partition \"ev24as\" has the name PostgreSQL gives the partition's copy of \"evs_note_idx\" of its ancestor \"evs\"") != NULL);
	e = errors(fm_psprintf(A, base, "  @@index([note(sort: Desc)])\n"), FM_DIALECT_FERRIORM);
	FM_CHECK_STR(e, "");
	e = errors(fm_psprintf(A, base, "  @@index([note], type: Hash)\n"), FM_DIALECT_FERRIORM);
	FM_CHECK_STR(e, "");
	e = errors(fm_psprintf(A, base, "  @@unique([note, day])\n"), FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "error: the key \"ev24as_note_day_key\" of partition \"ev24as\" has the name PostgreSQL gives the partition's copy of \"evs_note_day_key\" of its ancestor \"evs\"") != NULL);
	FM_CHECK_STR(errors(fm_psprintf(A, base, "  @@unique([id, day])\n  @@index([note], map: \"ev24a_note\")\n  @@index([note, id])\n"),
						FM_DIALECT_FERRIORM), "");
}

/*
 * A partition's own index under the name of its copy of an ancestor's
 * index, unlike it: the plan renames the copy (created with the partition,
 * or live) to the name PostgreSQL would number it, then creates the index;
 * a name taken moves the copy further.
 */
static void
test_partition_clone_rename(void)
{
	const char *base =
		"model Ev {\n  id Int\n  day DateTime @db.Date\n  b Int\n"
		"  @@index([b])\n  @@partitionBy(Range, [day])\n  @@map(\"ev\")\n  @@schema(\"s\")\n}\n"
		"model Ev24 {\n  @@partitionOf(Ev, values: \"FROM ('2024-01-01') TO ('2025-01-01')\")\n"
		"%s  @@map(\"ev_24\")\n  @@schema(\"s\")\n}\n";
	const char *own = "  @@index([b], where: \"(b > 0)\")\n";
	FmModel    *empty = parse("");
	FmModel    *none = parse(fm_psprintf(A, base, ""));
	FmModel    *plain = parse(fm_psprintf(A, base, own));
	FmModel    *taken = parse(fm_psprintf(A, base, fm_psprintf(A, "%s  @@index([day], map: \"ev_24_b_idx1\")\n", own)));
	char	   *s = script(empty, plain);
	const char *ren = "ALTER INDEX IF EXISTS \"s\".\"ev_24_b_idx\" RENAME TO \"ev_24_b_idx1\";\n";
	const char *cre = "CREATE INDEX \"ev_24_b_idx\" ON \"s\".\"ev_24\" USING \"btree\" (\"b\") WHERE (b > 0);";

	FM_CHECK(strstr(s, ren) != NULL && strstr(s, cre) != NULL && strstr(s, ren) < strstr(s, cre));
	FM_CHECK_INT(fm_diff(A, plain, plain, NULL)->steps.n, 0);
	/* the partition there already, with its copy under the name */
	s = script(none, plain);
	FM_CHECK(strstr(s, ren) != NULL && strstr(s, cre) != NULL && strstr(s, ren) < strstr(s, cre));
	/* the copy's name alone (not the index): nothing renamed */
	FM_CHECK(strstr(script(empty, none), "RENAME") == NULL);
	s = script(empty, taken);
	FM_CHECK(strstr(s, "ALTER INDEX IF EXISTS \"s\".\"ev_24_b_idx\" RENAME TO \"ev_24_b_idx2\";\n") != NULL);
}

/*
 * Two CHECKs of one name in an inheriting model's lineage are refused when
 * they differ (PostgreSQL refuses them), taken when alike (it merges them).
 */
static void
test_inherited_check_conflicts(void)
{
	const char *base =
		"model Base {\n  id Int @id\n  x Int\n  @@check(\"x > 0\", map: \"x_pos\")\n  @@schema(\"s\")\n}\n"
		"model Other {\n  z Int @id\n  @@check(\"%s\", map: \"x_pos\")\n  @@schema(\"s\")\n}\n"
		"model Child {\n  y Int\n  @@inherits([%s])\n%s  @@schema(\"s\")\n}\n";
	char	   *e;

	e = errors(fm_psprintf(A, base, "z > 0", "Base", "  @@check(\"x > 1\", map: \"x_pos\")\n"), FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "line 20, column 3: error: model \"Child\" has two CHECK constraints named \"x_pos\" with the models it inherits (of tables \"childs\" and \"bases\")") != NULL);
	FM_CHECK_STR(errors(fm_psprintf(A, base, "z > 0", "Base", "  @@check(\"(x>0)\", map: \"x_pos\")\n"), FM_DIALECT_FERRIORM), "");
	e = errors(fm_psprintf(A, base, "z > 0", "Base, Other", ""), FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "error: model \"Child\" has two CHECK constraints named \"x_pos\" with the models it inherits (of tables \"bases\" and \"others\")") != NULL);
	FM_CHECK_STR(errors(fm_psprintf(A, base, "(z) > 0", "Base", ""), FM_DIALECT_FERRIORM), "");
}

/*
 * Every key and unique index of a partitioned table, and of its ancestors,
 * must hold the columns of its partition key, which must have no
 * expression then (PostgreSQL refuses them).
 */
static void
test_partition_key_coverage(void)
{
	const char *base =
		"model Ev {\n  id Int\n  day DateTime @db.Date\n  note String\n%s"
		"  @@partitionBy(Range, [%s])\n  @@schema(\"s\")\n}\n"
		"model Ev24 {\n  @@partitionOf(Ev, values: \"FROM ('2024-01-01') TO ('2025-01-01')\")\n"
		"%s  @@schema(\"s\")\n}\n";
	char	   *e;

	e = errors(fm_psprintf(A, base, "  @@id([id])\n", "day", ""), FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "line 10, column 3: error: the primary key \"evs_pkey\" of table \"evs\" lacks column \"day\" of the partition key of \"evs\"") != NULL);
	e = errors(fm_psprintf(A, base, "  @@id([id, day])\n  @@unique([note])\n", "day", ""), FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "error: the unique key \"evs_note_key\" of table \"evs\" lacks column \"day\"") != NULL);
	e = errors(fm_psprintf(A, base, "  @@id([id, day])\n", "day", "  @@partitionBy(List, [note])\n"), FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "line 16, column 3: error: the primary key \"evs_pkey\" of table \"evs\" lacks column \"note\" of the partition key of \"ev24s\"") != NULL);
	e = errors(fm_psprintf(A, base, "  @@unique([id, day])\n", "raw(\"day + 1\")", ""), FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "error: the unique key \"evs_id_day_key\" of table \"evs\" cannot be on partitioned table \"evs\", whose partition key has an expression") != NULL);
	e = errors(fm_psprintf(A, base, "  @@id([id, day])\n  @@index([note], type: Hash)\n", "day", "  @@partitionBy(List, [note])\n"), FM_DIALECT_FERRIORM);
	FM_CHECK(strstr(e, "lacks column \"note\"") != NULL);
	FM_CHECK_STR(errors(fm_psprintf(A, base, "  @@id([id, day, note])\n  @@index([id])\n", "day", "  @@partitionBy(List, [note])\n"),
						FM_DIALECT_FERRIORM), "");
	FM_CHECK_STR(errors(fm_psprintf(A, base, "  @@index([id])\n", "raw(\"day + 1\")", ""), FM_DIALECT_FERRIORM), "");
}

FM_TEST_MAIN_ARENA(A,
	FM_TEST(test_partition_key_coverage),
	FM_TEST(test_inherited_check_conflicts),
	FM_TEST(test_partition_check_names),
	FM_TEST(test_partition_clone_names),
	FM_TEST(test_partition_clone_rename),
	FM_TEST(test_validate),
	FM_TEST(test_validate_errors),
	FM_TEST(test_render_order),
	FM_TEST(test_diff_moves),
	FM_TEST(test_diff_recreate),
	FM_TEST(test_diff_attach_plain),
	FM_TEST(test_diff_move_trees),
	FM_TEST(test_diff_move_order),
	FM_TEST(test_diff_renames),
	FM_TEST(test_diff_generated_lineage),
	FM_TEST(test_diff_move_late),
	FM_TEST(test_diff_move_clones),
	FM_TEST(test_diff_lineage_renames_gen),
	FM_TEST(test_diff_create_under_live),
	FM_TEST(test_diff_inherited_columns),
	FM_TEST(test_keep_lineage),
	FM_TEST(test_print_roundtrip))
