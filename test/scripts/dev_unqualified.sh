#!/usr/bin/env bash
# A migration that ferriorm_dev writes for a schema text naming no schema
# has unqualified names (docs/dev.md, "Names in a written migration"), as
# Prisma Migrate writes it without multiSchema: the history deploys into
# whichever schema the deploying connection uses.  Before 0.2.0's deploy
# review every name was qualified with the schema dev ran in, so a history
# written under search_path = api created api's tables wherever deployed.
#
#  1. dev in database A with search_path = api writes CREATE TABLE "users"
#     (not "api"."users") (an enum named like a pg_catalog type stays
#     qualified: test_render);
#  2. the directory deploys into database B under search_path = tenant_b:
#     the tables are in tenant_b, and dev there has nothing to write;
#  3. with @@schema / schemas named, the names are qualified.
set -euo pipefail
. "$(dirname "$0")/../lib/scratch.sh"

DB=ferriorm_unqual_a
DB2=ferriorm_unqual_b
scratch_begin unqualified
[ -n "${KEEP:-}" ] && trap - EXIT
scratch_cleanup_extra() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB2 WITH (FORCE)" >/dev/null 2>&1 || true
}
scratch_create_db "DROP DATABASE IF EXISTS $DB2" "CREATE DATABASE $DB2"
for d in $DB $DB2; do
	psql -X -q -v ON_ERROR_STOP=1 -d $d -c "SET client_min_messages = warning" -c "CREATE EXTENSION ferriorm" \
		-c "CREATE SCHEMA api" -c "CREATE SCHEMA tenant_b"
done
M=$WORK/migrations
mkdir -p "$M" "$WORK/empty"; chmod 777 "$M"

S='datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

enum Role {
  USER
  ADMIN
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  role  Role   @default(USER)
  posts Post[]
  @@map("users")
}

model Post {
  id       Int  @id @default(autoincrement())
  author   User @relation(fields: [authorId], references: [id])
  authorId Int
  @@index([authorId])
}
'
psql -X -qAt -v ON_ERROR_STOP=1 -d $DB -c "SET search_path = api" \
	-c "SELECT migration FROM public.ferriorm_dev('$M', \$s\$$S\$s\$, 'init', strategy => 'rollback')" >/dev/null
sql=$(cat "$M"/*_init/migration.sql)
grep -q 'CREATE TABLE "users"\|CREATE TABLE users' <<<"$sql" || fail "the migration does not create users unqualified: $sql"
grep -q 'api\.' <<<"$sql" && fail "the migration names schema api: $sql"
grep -q 'REFERENCES users\|REFERENCES "users"' <<<"$sql" || fail "the foreign key's table is qualified: $sql"
echo "dev under search_path = api: unqualified names"

# the same directory into another database, under another schema
psql -X -qAt -v ON_ERROR_STOP=1 -d $DB2 -c "SET search_path = tenant_b" \
	-c "SELECT count(*) FROM public.ferriorm_deploy('$M')" >/dev/null
where=$(psql -X -qAt -d $DB2 -c "SELECT string_agg(n.nspname || '.' || c.relname, ' ' ORDER BY 1) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname IN ('users', 'posts')")
[ "$where" = "tenant_b.posts tenant_b.users" ] || fail "the history deployed into $where"
out=$(psql -X -qAt -v ON_ERROR_STOP=1 -d $DB2 -c "SET search_path = tenant_b" \
	-c "SELECT public.ferriorm_diff_history('$M', \$s\$$S\$s\$, 'rollback')")
[ -z "$out" ] || fail "dev in tenant_b would write: $out"
echo "deployed under search_path = tenant_b: the tables are in tenant_b, nothing more to write"

# schemas named in the text: qualified, as Prisma's multiSchema
S2=${S/url      = env(\"DATABASE_URL\")/url      = env(\"DATABASE_URL\")
  schemas  = [\"api\"]}
S2=${S2//\@\@map(\"users\")/@@map(\"users\")
  @@schema(\"api\")}
S2=${S2//  @@index(\[authorId\])/  @@index([authorId])
  @@schema(\"api\")}
S2=${S2//  ADMIN/  ADMIN
  @@schema(\"api\")}
out=$(psql -X -qAt -v ON_ERROR_STOP=1 -d $DB -c "SET search_path = public" \
	-c "SELECT public.ferriorm_diff_history('$WORK/empty', \$s\$$S2\$s\$, 'rollback')" 2>&1) || fail "diff_history failed: $out"
grep -q 'CREATE TABLE api.users\|CREATE TABLE "api"."users"' <<<"$out" || fail "with schemas named, users is not qualified: $out"
echo "with schemas named in the text: qualified names"
echo "dev_unqualified: PASS"
