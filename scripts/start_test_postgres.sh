#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on 127.0.0.1:55432 for the storage tests.
# Prints the URL to use as KSF_TEST_POSTGRES_URL.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDATA=${PGDATA:-/tmp/ksf-pg}
PORT=${PGPORT:-55432}
if ! "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q 2>/dev/null; then
  rm -rf "$PGDATA"; mkdir -p "$PGDATA"; chown postgres:postgres "$PGDATA"
  su postgres -c "$PGBIN/initdb -D $PGDATA -A trust -U postgres --no-sync" >/dev/null
  su postgres -c "$PGBIN/pg_ctl -D $PGDATA -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -l $PGDATA/log -w start" >/dev/null
fi
echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
