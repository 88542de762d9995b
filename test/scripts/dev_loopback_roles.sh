#!/usr/bin/env bash
# The loopback of the shadow strategy and the roles it logs in as
# (docs/dev.md, Security; src/backend/loopback.c).
#
#  1. Inside a SECURITY DEFINER function the loopback logs in as the
#     current user, not the session user: otherwise a migration replayed in
#     the shadow could RESET ROLE to the session user.  Here a superuser,
#     whose session carries a shadow conninfo with its password, calls the
#     function of a role that may replay histories; the history does RESET
#     ROLE and ALTER ROLE ... SUPERUSER.  The role must not become a
#     superuser: the loopback logs in as it, and the superuser's password
#     does not open that.
#  2. A role that is not a superuser runs the shadow strategy with the
#     conninfo a superuser set for it (ALTER ROLE ... SET), authenticating
#     with a passfile (not a password visible in pg_db_role_setting);
#     without password or passfile it is refused (dblink's rule).
#  3. The same role deploys a CREATE INDEX CONCURRENTLY with CALL
#     ferriorm_migrate, whose loopback authenticates with the passfile a
#     superuser set in ferriorm.loopback_conninfo.
#
# Needs the cluster of scripts/pg.sh: trust on the Unix socket, a password
# (scram-sha-256) over TCP to 127.0.0.1.  Runs in its own database.
set -euo pipefail
. "$(dirname "$0")/../lib/scratch.sh"

DB=ferriorm_lb_roles
ROLES="regress_lb_super regress_lb_definer regress_lb_dev"
scratch_begin lbroles
scratch_cleanup_extra() {
	local r
	psql -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
	for r in $ROLES; do
		psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1 || true
	done
}
scratch_cleanup_extra
scratch_create_db \
	"CREATE ROLE regress_lb_super SUPERUSER LOGIN PASSWORD 'super-secret'" \
	"CREATE ROLE regress_lb_definer LOGIN CREATEDB PASSWORD 'definer-secret'" \
	"CREATE ROLE regress_lb_dev LOGIN CREATEDB PASSWORD 'dev-secret'" \
	"GRANT pg_read_server_files TO regress_lb_definer, regress_lb_dev"
psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
	-c "CREATE EXTENSION ferriorm" \
	-c "GRANT EXECUTE ON FUNCTION ferriorm_drift(text, text) TO regress_lb_definer, regress_lb_dev" \
	-c "CREATE SCHEMA lb AUTHORIZATION regress_lb_definer"

# the TCP loopback asks for a password
psql -X -qAt "host=127.0.0.1 user=regress_lb_dev password=dev-secret dbname=$DB" \
	-c "SELECT 1" >/dev/null 2>&1 || fail "no password login over TCP to 127.0.0.1 (needs the cluster of scripts/pg.sh)"

echo "== 1. a security-definer function's loopback logs in as its owner"
H=$WORK/hostile
mkdir -p "$H/20240101000000_escalate"
printf 'provider = "postgresql"\n' > "$H/migration_lock.toml"
# harmless where the role deploys it itself; in a shadow whose loopback
# logged in as a superuser, RESET ROLE makes it that superuser
cat > "$H/20240101000000_escalate/migration.sql" <<'SQL'
RESET ROLE;
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
    ALTER ROLE regress_lb_definer SUPERUSER;
  END IF;
END
$$;
SQL
chmod -R a+rX "$H"
n=$(psql -X -qAt -U regress_lb_definer -c "SELECT count(*) FROM ferriorm_deploy('$H')")
[ "$n" = 1 ] || fail "the definer deployed $n migrations"
psql -X -q -v ON_ERROR_STOP=1 -U regress_lb_definer \
	-c "CREATE FUNCTION lb.drift(dir text) RETURNS text SECURITY DEFINER
	    SET search_path = public, pg_catalog
	    LANGUAGE sql AS \$\$ SELECT ferriorm_drift(dir, 'shadow') \$\$"
out=$(psql -X -qAt -U regress_lb_super \
	-c "SET ferriorm.shadow_conninfo = 'host=127.0.0.1 port=$PGPORT password=super-secret'" \
	-c "SELECT lb.drift('$H')" 2>&1 || true)
head -3 <<<"$out"
su=$(psql -X -qAt -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_lb_definer'")
[ "$su" = f ] || fail "the history replayed by the definer's function made it a superuser ($su)"
grep -q 'password authentication failed for user "regress_lb_definer"' <<<"$out" ||
	fail "the loopback did not log in as the definer: $out"
echo "the definer is no superuser; the loopback logged in as it"
# a conninfo naming another user is refused there
out=$(psql -X -qAt -U regress_lb_super \
	-c "SET ferriorm.shadow_conninfo = 'host=127.0.0.1 port=$PGPORT user=regress_lb_super password=super-secret'" \
	-c "SELECT lb.drift('$H')" 2>&1 || true)
grep -q 'cannot open a loopback connection as role "regress_lb_super" inside a security-definer function' <<<"$out" ||
	fail "a conninfo naming the session's superuser: $out"
su=$(psql -X -qAt -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_lb_definer'")
[ "$su" = f ] || fail "the definer became a superuser through a conninfo naming another user"
echo "a conninfo naming another user: refused"
# with the definer's own password it works, and the history runs as the definer
out=$(psql -X -qAt -U regress_lb_super \
	-c "SET ferriorm.shadow_conninfo = 'host=127.0.0.1 port=$PGPORT password=definer-secret'" \
	-c "SET client_min_messages = warning" \
	-c "SELECT lb.drift('$H') = '' AS no_drift" 2>&1 || true)
[ "$out" = t ] || fail "the definer's own loopback: $out"
su=$(psql -X -qAt -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_lb_definer'")
[ "$su" = f ] || fail "the definer became a superuser with its own password"
echo "with the definer's password: the history replays as the definer, no drift"

echo "== 2. a role's shadow conninfo, set by a superuser, with a passfile"
G=$WORK/good
mkdir -p "$G/20240101000000_init"
printf 'provider = "postgresql"\n' > "$G/migration_lock.toml"
printf 'CREATE TABLE t (id int PRIMARY KEY);\n' > "$G/20240101000000_init/migration.sql"
chmod -R a+rX "$G"
PF=$WORK/pgpass
printf '127.0.0.1:%s:*:regress_lb_dev:dev-secret\n' "$PGPORT" > "$PF"
chown postgres "$PF" 2>/dev/null || true
chmod 600 "$PF"
DEV="host=127.0.0.1 user=regress_lb_dev password=dev-secret dbname=$DB"
psql -X -q -v ON_ERROR_STOP=1 -c "DELETE FROM _ferriorm_migrations" \
	-c "SELECT count(*) FROM ferriorm_deploy('$G')" \
	-c "ALTER TABLE public.t OWNER TO regress_lb_dev" >/dev/null
# the role itself may not set it
out=$(psql -X -qAt "$DEV" -c "SELECT ferriorm_format('') IS NOT NULL" \
	-c "SET ferriorm.shadow_conninfo = 'host=127.0.0.1 port=$PGPORT passfile=$PF'" 2>&1 || true)
grep -q 'permission denied to set parameter "ferriorm.shadow_conninfo"' <<<"$out" ||
	fail "a role set the shadow conninfo itself: $out"
# no password, no passfile: refused before connecting
psql -X -q -c "ALTER ROLE regress_lb_dev SET ferriorm.shadow_conninfo = 'host=127.0.0.1 port=$PGPORT'"
out=$(psql -X -qAt "$DEV" -c "SELECT ferriorm_drift('$G', 'shadow')" 2>&1 || true)
grep -q 'password is required for a loopback connection' <<<"$out" || fail "without password: $out"
echo "without password or passfile: refused"
# a password the server never asks for (trust on its Unix-domain socket):
# refused after connecting, and the error says why
psql -X -q -c "ALTER ROLE regress_lb_dev SET ferriorm.shadow_conninfo = 'password=dev-secret'"
out=$(psql -X -qAt "$DEV" -c "SELECT ferriorm_drift('$G', 'shadow')" 2>&1 || true)
grep -q 'the server did not ask for it' <<<"$out" || fail "a password the server did not ask for: $out"
echo "a password the server does not ask for: refused, saying so"
psql -X -q -c "ALTER ROLE regress_lb_dev SET ferriorm.shadow_conninfo = 'host=127.0.0.1 port=$PGPORT passfile=$PF'"
out=$(psql -X -qAt "$DEV" -c "SET client_min_messages = warning" \
	-c "SELECT ferriorm_drift('$G', 'shadow') = '' AS no_drift" 2>&1 || true)
[ "$out" = t ] || fail "with a passfile: $out"
n=$(psql -X -qAt -c "SELECT count(*) FROM pg_database WHERE datname LIKE '%ferriorm_shadow%'")
[ "$n" = 0 ] || fail "$n shadow databases left behind"
echo "with a passfile: no drift, no shadow left"

# 3. CALL ferriorm_migrate's loopback (a statement that cannot run in a
#    transaction block) for the same role: refused without a password,
#    refused before anything is applied with a password the server does not
#    ask for, and run with the passfile a superuser gave it in
#    ferriorm.loopback_conninfo; the index is the role's own
C=$WORK/conc
mkdir -p "$C/20240101000000_init" "$C/20240102000000_index"
printf 'provider = "postgresql"\n' > "$C/migration_lock.toml"
printf 'CREATE TABLE lbc (id int PRIMARY KEY, e text);\n' > "$C/20240101000000_init/migration.sql"
printf 'CREATE INDEX CONCURRENTLY lbc_e_idx ON lbc (e);\n' > "$C/20240102000000_index/migration.sql"
chmod -R a+rX "$C"
psql -X -q -v ON_ERROR_STOP=1 -c "DELETE FROM _ferriorm_migrations" \
	-c "GRANT EXECUTE ON PROCEDURE ferriorm_migrate(text) TO regress_lb_dev" \
	-c "GRANT CREATE ON SCHEMA public TO regress_lb_dev"
out=$(psql -X -qAt "$DEV" -c "CALL ferriorm_migrate('$C')" 2>&1 || true)
grep -q 'password is required for a loopback connection' <<<"$out" || fail "migrate without password: $out"
psql -X -q -c "ALTER ROLE regress_lb_dev SET ferriorm.loopback_conninfo = 'password=dev-secret'"
out=$(psql -X -qAt "$DEV" -c "CALL ferriorm_migrate('$C')" 2>&1 || true)
grep -q 'the server did not ask for it' <<<"$out" || fail "migrate, a password the server did not ask for: $out"
n=$(psql -X -qAt -c "SELECT count(*) FROM _ferriorm_migrations")
[ "$n" = 0 ] || fail "a refused loopback left $n migrations applied"
echo "CALL ferriorm_migrate without a password, or with one the server does not ask for: refused, nothing applied"
# a password file libpq cannot use (missing here; or readable by others):
# the hint says what the file must be, with this server's port
psql -X -q -c "ALTER ROLE regress_lb_dev SET ferriorm.loopback_conninfo = 'host=127.0.0.1 port=$PGPORT passfile=$WORK/no-such-pgpass'"
out=$(psql -X -qAt "$DEV" -c "CALL ferriorm_migrate('$C')" 2>&1 || true)
grep -q "gave no password: it must exist, .*port $PGPORT" <<<"$out" || fail "migrate, a missing passfile: $out"
echo "CALL ferriorm_migrate with a missing password file: the hint says what the file must be"
psql -X -q -c "ALTER ROLE regress_lb_dev SET ferriorm.loopback_conninfo = 'host=127.0.0.1 port=$PGPORT passfile=$PF'"
out=$(psql -X -qAt "$DEV" -c "CALL ferriorm_migrate('$C')" 2>&1) || fail "migrate with a passfile: $out"
got=$(psql -X -qAt -c "SELECT string_agg(migration_name || ':' || status || ':' || applied_by, ',' ORDER BY migration_name) FROM _ferriorm_migrations")
[ "$got" = "20240101000000_init:applied:regress_lb_dev,20240102000000_index:applied:regress_lb_dev" ] ||
	fail "history after migrate with a passfile: $got"
got=$(psql -X -qAt -c "SELECT i.indisvalid || ':' || pg_get_userbyid(c.relowner) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'lbc_e_idx'")
[ "$got" = "true:regress_lb_dev" ] || fail "the concurrently built index: $got"
echo "CALL ferriorm_migrate with ferriorm.loopback_conninfo's passfile: the role's index built concurrently"
echo "ok"
