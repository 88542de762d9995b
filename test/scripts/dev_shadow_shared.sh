#!/usr/bin/env bash
# The shadow replay and the objects the whole cluster shares
# (src/backend/shadow.c, skip_shared; docs/dev.md, "shadow").  A shadow
# database is a database of the same cluster: before 0.2.0's deploy review,
# replaying a history's CREATE ROLE there failed once the role existed
# ("role ... already exists", as Prisma's shadow does), and its ALTER ROLE
# ... SET and ALTER DATABASE <live database> SET were run again on the live
# cluster, undoing every later change of those settings.
#
#  1. a history that creates a role, sets a role's and the live database's
#     settings, grants a role and comments on the database: ferriorm_drift
#     (shadow) sees no drift, leaves the settings changed since as they are,
#     and says which statements it skipped;
#  2. a history with DROP OWNED is refused by the shadow strategy, naming
#     the migration and line; the rollback strategy replays it, skipping
#     the CREATE ROLE that would fail in this database.
#  3. the rollback strategy's hint for a new enum value used in a later
#     migration names the shadow strategy.
set -euo pipefail
. "$(dirname "$0")/../lib/scratch.sh"

DB=ferriorm_shadow_shared
ROLES="regress_shs_app regress_shs_made regress_shs_old"
scratch_begin shadow-shared
scratch_cleanup_extra() {
	local r
	for r in $ROLES; do
		psql -X -q -d postgres -c "DROP OWNED BY $r CASCADE" >/dev/null 2>&1 || true
		psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1 || true
	done
}
scratch_cleanup_extra
scratch_create_db "CREATE ROLE regress_shs_app NOLOGIN" "CREATE ROLE regress_shs_old NOLOGIN"
psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "CREATE EXTENSION ferriorm"

H=$WORK/hist
mkdir -p "$H/20240101000000_init" "$H/20240102000000_settings"
printf 'provider = "postgresql"\n' > "$H/migration_lock.toml"
cat > "$H/20240101000000_init/migration.sql" <<SQL
CREATE ROLE regress_shs_made NOLOGIN;
CREATE TABLE t (id int PRIMARY KEY);
GRANT SELECT ON t TO regress_shs_made;
GRANT regress_shs_made TO regress_shs_app;
SQL
cat > "$H/20240102000000_settings/migration.sql" <<SQL
ALTER ROLE regress_shs_app SET statement_timeout = '5s';
ALTER DATABASE $DB SET work_mem = '8MB';
COMMENT ON DATABASE $DB IS 'from the history';
ALTER TABLE t ADD COLUMN note text;
SQL
chmod -R a+rX "$H"
psql -X -qAt -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM ferriorm_deploy('$H')" >/dev/null

# the settings change after the history ran
psql -X -q -v ON_ERROR_STOP=1 -c "ALTER ROLE regress_shs_app SET statement_timeout = '9s'" \
	-c "ALTER DATABASE $DB RESET work_mem" -c "COMMENT ON DATABASE $DB IS 'changed since'"
settings() {
	psql -X -qAt -c "SELECT coalesce(string_agg(array_to_string(setconfig, ','), ' ' ORDER BY setrole, setdatabase), '') FROM pg_db_role_setting s
		WHERE setrole = 'regress_shs_app'::regrole OR setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())" \
		-c "SELECT shobj_description((SELECT oid FROM pg_database WHERE datname = current_database()), 'pg_database')"
}
# no_drift STRATEGY: ferriorm_drift of the history is empty, its messages
# in out
no_drift() {
	out=$(psql -X -qAt -v ON_ERROR_STOP=1 -c "SELECT ferriorm_drift('$H', '$1') = ''" 2>&1) \
		|| fail "$1: the replay of a history with role statements failed: $out"
	echo "$out" | grep -qx t || fail "$1: drift reported: $out"
}
before=$(settings)

no_drift shadow
echo "$out" | grep -q 'NOTICE:  the shadow replay of migration "20240101000000_init" skipped 2 statements that change objects of the whole cluster' \
	|| fail "no notice of the skipped CREATE ROLE and GRANT role: $out"
echo "$out" | grep -q "DETAIL:  CREATE ROLE at line 1, GRANT ROLE at line 4." || fail "the notice does not list CREATE ROLE and GRANT role: $out"
echo "$out" | grep -q 'DETAIL:  ALTER ROLE at line 1, ALTER DATABASE at line 2, COMMENT at line 3.' \
	|| fail "the notice does not list the skipped statements: $out"
after=$(settings)
[ "$before" = "$after" ] || fail "the shadow replay changed the live cluster: '$before' became '$after'"
echo "shadow: role and database statements skipped, the live cluster's settings untouched, no drift"

# GRANT role is skipped too (the membership exists once, deploy made it)
[ "$(psql -X -qAt -c "SELECT pg_has_role('regress_shs_app', 'regress_shs_made', 'MEMBER')")" = t ] \
	|| fail "the deploy did not run GRANT role"

# DROP OWNED acts on the database and on shared objects: refused by the
# shadow, replayed by the rollback strategy
mkdir -p "$H/20240103000000_drop_owned"
printf 'DROP OWNED BY regress_shs_old;\n' > "$H/20240103000000_drop_owned/migration.sql"
chmod -R a+rX "$H"
psql -X -qAt -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM ferriorm_deploy('$H')" >/dev/null
if out=$(psql -X -qAt -v ON_ERROR_STOP=1 -c "SELECT ferriorm_drift('$H', 'shadow')" 2>&1); then
	fail "the shadow replayed DROP OWNED: $out"
fi
echo "$out" | grep -q 'migration "20240103000000_drop_owned" cannot be replayed in a shadow database: DROP OWNED at line 1 changes objects of the whole cluster' \
	|| fail "unexpected error: $out"
echo "$out" | grep -q "HINT:  Use strategy => 'rollback'" || fail "no hint: $out"
[ "$(psql -X -qAt -c "SELECT count(*) FROM pg_database WHERE datname LIKE '${DB}_ferriorm_shadow_%'")" = 0 ] \
	|| fail "the refused replay left its shadow database"
# the rollback strategy (a subtransaction of this database, rolled back)
# runs DROP OWNED and skips the CREATE ROLE that would fail here
before=$(settings)
no_drift rollback
echo "$out" | grep -q 'NOTICE:  the rollback replay of migration "20240101000000_init" skipped 2 statements' \
	|| fail "rollback: no notice of the skipped statements: $out"
[ "$before" = "$(settings)" ] || fail "the rollback replay changed the live cluster"
echo "shadow: DROP OWNED refused naming the migration and line; rollback replays it, skipping CREATE ROLE"
# 3. a value added to an enum and used by a later migration: the rollback
#    strategy replays the history in one transaction, where PostgreSQL
#    refuses the value until it is committed; the hint names the strategy
#    that works, and the shadow replays it
# history DIR NAME SQL [NAME SQL ...]: a migrations directory
history() {
	local dir=$1
	shift
	mkdir -p "$dir"
	printf 'provider = "postgresql"\n' > "$dir/migration_lock.toml"
	while [ $# -gt 0 ]; do
		mkdir -p "$dir/$1"
		printf '%s\n' "$2" > "$dir/$1/migration.sql"
		shift 2
	done
	chmod -R a+rX "$dir"
}
# rollback_fails DIR CLEANUP WHAT: deploy DIR after CLEANUP (and emptying
# the history); the rollback strategy's replay of DIR must fail (WHAT says
# what it would have done otherwise); its output is left in $out
rollback_fails() {
	psql -X -q -v ON_ERROR_STOP=1 -c "$2" -c "DELETE FROM _ferriorm_migrations"
	psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "CALL ferriorm_migrate('$1')" >/dev/null
	if out=$(psql -X -qAt -v ON_ERROR_STOP=1 -c "SELECT ferriorm_drift('$1', 'rollback')" 2>&1); then
		fail "$3: $out"
	fi
}
H2=$WORK/enum
history "$H2" 20240101000000_enum "CREATE TYPE mood AS ENUM ('ok'); CREATE TABLE m (id int, v mood);" \
	20240102000000_value "ALTER TYPE mood ADD VALUE 'sad';" \
	20240103000000_use "ALTER TABLE m ALTER v SET DEFAULT 'sad';"
rollback_fails "$H2" "DROP TABLE t CASCADE" "the rollback replay used an uncommitted enum value"
echo "$out" | grep -q "HINT:  .*the rollback strategy replays the history in one transaction .* Use strategy => 'shadow'" \
	|| fail "rollback: the enum hint does not name the shadow strategy: $out"
[ "$(psql -X -qAt -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
	-c "SELECT ferriorm_drift('$H2', 'shadow') = ''" 2>&1)" = t ] \
	|| fail "the shadow did not replay the enum history"
echo "rollback: a new enum value used by a later migration fails with a hint to the shadow strategy, which replays it"
# 4. a migration that is one DO block saying COMMIT (deployed by
#    ferriorm_migrate outside any transaction block, as Prisma does): the
#    rollback strategy's one transaction cannot run it; the hint (2D000)
#    names the shadow strategy
H3=$WORK/docommit
history "$H3" 20240101000000_t "CREATE TABLE dc (id int);" \
	20240102000000_commit 'DO $$ BEGIN INSERT INTO dc VALUES (1); COMMIT; END $$;'
rollback_fails "$H3" "DROP TABLE m; DROP TYPE mood" "the rollback replay committed inside its transaction"
echo "$out" | grep -q 'ERROR:  migration "20240102000000_commit" failed at line 1: invalid transaction termination' \
	|| fail "rollback: unexpected error for a committing DO block: $out"
echo "$out" | grep -q "HINT:  The rollback strategy replays the history in one transaction, where a DO block or procedure cannot commit. Use strategy => 'shadow'." \
	|| fail "rollback: the 2D000 hint does not name the shadow strategy: $out"
[ "$(psql -X -qAt -c "SELECT count(*) FROM dc")" = 1 ] || fail "the rollback replay left rows behind"
echo "rollback: a DO block that commits fails with a hint to the shadow strategy (2D000)"
echo "dev_shadow_shared: PASS"
