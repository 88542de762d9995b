# Sourced by scripts/test.sh and scripts/demo.sh (bash).
#
# The cluster runs as the "postgres" OS user when we are root, and the
# server itself reads files of the checkout (migration fixtures,
# examples/migrations).  If that user cannot read the checkout (say it
# lives under /root), re-run the calling script from a world-readable copy
# under /tmp.  FERRIORM_READABLE_COPY marks the copy, so this happens once.
ensure_server_can_read_checkout() {
	local root=$1 script=$2
	shift 2
	[ "$(id -u)" -eq 0 ] || return 0
	[ -z "${FERRIORM_READABLE_COPY:-}" ] || return 0
	if su postgres -s /bin/sh -c "test -r '$root/README.md' && test -x '$root/test'" 2>/dev/null; then
		return 0
	fi
	local copy
	copy=$(mktemp -d /tmp/ferriorm-checkout.XXXXXX)
	echo "note: the postgres OS user cannot read $root; running from a copy in $copy"
	tar -C "$root" --exclude=./tmp_check -cf - . | tar -C "$copy" -xf -
	chmod -R a+rX "$copy"
	chmod 755 "$copy"
	FERRIORM_READABLE_COPY=1 exec bash "$copy/$script" "$@"
}
