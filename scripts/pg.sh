#!/usr/bin/env bash
# A private PostgreSQL installation and throwaway cluster for this checkout.
#
#   scripts/pg.sh start         build, install into ./tmp_check, start cluster
#   scripts/pg.sh stop          stop the cluster
#   scripts/pg.sh reinstall     rebuild and reinstall the extension only
#   scripts/pg.sh env           print the exports to reach the cluster
#   scripts/pg.sh psql [args]   psql into the cluster
#   scripts/pg.sh installcheck  pg_regress (make installcheck) against it
#   scripts/pg.sh destroy       stop and remove ./tmp_check
#
# The installation is a relocated copy of the system's PostgreSQL (its
# binaries find their share/ and lib/ directories relative to themselves)
# with this checkout's build installed into it by "make install DESTDIR=",
# so nothing is written to system directories and several checkouts can
# test side by side.  The port is derived from the checkout's path unless
# FERRIORM_PGPORT is set.  Run as root, the cluster runs as the "postgres"
# OS user (PostgreSQL refuses to run as root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_CONFIG=${PG_CONFIG:-pg_config}
TMP="$ROOT/tmp_check"
INST="$TMP/install"
DATA="$TMP/data"
LOG="$TMP/postgres.log"
PORT=${FERRIORM_PGPORT:-$((55000 + $(printf '%s' "$ROOT" | cksum | cut -d' ' -f1) % 4000))}
SOCK="/tmp/ferriorm-$PORT"
SYS_BINDIR=$($PG_CONFIG --bindir)
SYS_SHAREDIR=$($PG_CONFIG --sharedir)
BINDIR="$INST$SYS_BINDIR"

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
	else
		"$@"
	fi
}

do_env() {
	cat <<EOT
export PGHOST=$SOCK
export PGPORT=$PORT
export PGUSER=postgres
export PGDATABASE=postgres
export FERRIORM_PGBIN=$BINDIR
EOT
}

install_ext() {
	make -C "$ROOT" -s -j2 PG_CONFIG="$PG_CONFIG" >/dev/null
	make -C "$ROOT" -s install PG_CONFIG="$PG_CONFIG" DESTDIR="$INST" >/dev/null
}

make_install() {
	if [ ! -x "$BINDIR/postgres" ]; then
		local pkglib
		pkglib=$(dirname "$SYS_BINDIR")
		mkdir -p "$INST$(dirname "$pkglib")" "$INST$(dirname "$SYS_SHAREDIR")"
		cp -a "$pkglib" "$INST$(dirname "$pkglib")/"
		cp -a "$SYS_SHAREDIR" "$INST$(dirname "$SYS_SHAREDIR")/"
	fi
	install_ext
}

is_running() {
	[ -f "$DATA/postmaster.pid" ] && as_pg "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

do_start() {
	make_install
	mkdir -p "$TMP" "$SOCK"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$SOCK"
		# the server must be able to read the checkout (test fixtures)
		chmod o+rx "$TMP"
	fi
	if [ ! -f "$DATA/PG_VERSION" ]; then
		rm -rf "$DATA"
		mkdir -p "$DATA"
		[ "$(id -u)" -eq 0 ] && chown postgres "$DATA"
		as_pg "$BINDIR/initdb" -D "$DATA" -U postgres --auth-local=trust \
			--auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
		cat >> "$DATA/postgresql.conf" <<EOT
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 60
shared_buffers = 64MB
log_min_messages = warning
log_line_prefix = '%m [%p] %q%a '
EOT
	fi
	if ! is_running; then
		touch "$LOG"
		[ "$(id -u)" -eq 0 ] && chown postgres "$LOG"
		as_pg "$BINDIR/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
	fi
	echo "cluster running on port $PORT (socket $SOCK); eval \"\$(scripts/pg.sh env)\""
}

do_stop() {
	if is_running; then
		as_pg "$BINDIR/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
	fi
}

cmd=${1:-}
shift || true
case "$cmd" in
	start) do_start ;;
	stop) do_stop ;;
	reinstall) install_ext ;;
	env) do_env ;;
	psql) eval "$(do_env)"; exec psql "$@" ;;
	installcheck)
		eval "$(do_env)"
		make -C "$ROOT" -s installcheck PG_CONFIG="$PG_CONFIG" "$@"
		;;
	destroy) do_stop; rm -rf "$TMP" "$SOCK" ;;
	*) sed -n '2,20p' "$0"; exit 2 ;;
esac
