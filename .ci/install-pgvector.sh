#!/usr/bin/env bash
# Builds and installs pgvector for the local PostgreSQL server from Debian's trixie
# source package (bookworm has no pgvector package). Idempotent: does nothing when the
# extension is already available to the server.
set -euo pipefail

pg_major=$(pg_config --version 2>/dev/null | sed -E 's/^PostgreSQL ([0-9]+).*/\1/' || true)
if [ -z "$pg_major" ]; then
  pg_major=$(ls /usr/lib/postgresql | sort -n | tail -1)
fi
if [ -f "/usr/share/postgresql/${pg_major}/extension/vector.control" ]; then
  echo "pgvector: already installed for PostgreSQL ${pg_major}"
  exit 0
fi

echo "pgvector: building from Debian's trixie source package for PostgreSQL ${pg_major}"
export DEBIAN_FRONTEND=noninteractive
if ! grep -rqs 'deb-src .* trixie main' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo 'deb-src http://deb.debian.org/debian trixie main' > /etc/apt/sources.list.d/trixie-src.list
fi
apt-get update -qq
apt-get install -y -qq dpkg-dev build-essential "postgresql-server-dev-${pg_major}" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source -qq pgvector >/dev/null
cd pgvector-*/
make -s PG_CONFIG="/usr/lib/postgresql/${pg_major}/bin/pg_config" OPTFLAGS="" >/dev/null
make -s PG_CONFIG="/usr/lib/postgresql/${pg_major}/bin/pg_config" install >/dev/null
echo "pgvector: installed $(grep default_version /usr/share/postgresql/${pg_major}/extension/vector.control)"
