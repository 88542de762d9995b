#!/usr/bin/env bash
# Install what building and testing ferriorm needs on Debian 12, if missing.
# Needs root (or sudo) only when something is missing.
#
# Node.js >= 20 and npm are expected on the machine (Debian's nodejs is too
# old for Prisma's engines); test/scripts/prisma_oracle.sh installs its
# pinned npm packages itself (npm ci in test/prisma) and fails without them.
set -euo pipefail

if ! command -v node >/dev/null || ! command -v npm >/dev/null ||
	[ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 20 ]; then
	echo "deps: warning: Node.js >= 20 and npm are missing; the Prisma oracle test will fail" >&2
fi

PGVER=${PGVER:-15}
pkgs=(make gcc "postgresql-$PGVER" "postgresql-server-dev-$PGVER" libpq-dev libssl-dev
      clang-14 libclang-rt-14-dev)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
