# Sourced by bench/deploy.sh and bench/migrate.sh (not a benchmark itself).
#
# bench_migrations DIR N [ALL]: N small Prisma-style migrations (create a
# table with a serial key, insert a row) in DIR, in folder order; with ALL,
# also every statement concatenated into that file.
bench_migrations() {
	local dir i m
	mkdir -p "$1"
	[ -n "${3:-}" ] && : > "$3"
	for i in $(seq -w 1 "$2"); do
		m="$1/2024010100$(printf '%06d' $((10#$i)))_m$i"
		mkdir -p "$m"
		cat > "$m/migration.sql" <<SQL
-- CreateTable
CREATE TABLE "b_$i" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "b_${i}_pkey" PRIMARY KEY ("id")
);
INSERT INTO "b_$i" ("name") VALUES ('row $i');
SQL
		[ -n "${3:-}" ] && cat "$m/migration.sql" >> "$3"
	done
	return 0
}
