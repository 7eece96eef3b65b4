# Sourced by .ci/run (and usable by hand): a throw-away PostgreSQL cluster on a free local
# port for the registry tests. Exports GEMEENTEN_TEST_PG_URL; stops the cluster on exit.
start_postgres() {
  local pgbin port
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /bin/sh postgres
  PG_TEST_DATA=$(mktemp -d /tmp/gemeenten-pg.XXXXXX)
  chown postgres:postgres "$PG_TEST_DATA"
  chmod 700 "$PG_TEST_DATA"
  su postgres -s /bin/sh -c "$pgbin/initdb -D $PG_TEST_DATA -A trust -U postgres" >/dev/null
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  su postgres -s /bin/sh -c "$pgbin/pg_ctl -D $PG_TEST_DATA -l $PG_TEST_DATA/server.log -w \
      -o '-p $port -k /tmp -c listen_addresses=127.0.0.1' start" >/dev/null
  su postgres -s /bin/sh -c "$pgbin/createdb -h 127.0.0.1 -p $port registry_test"
  export GEMEENTEN_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/registry_test"
  PG_TEST_BIN=$pgbin
  trap stop_postgres EXIT
}

stop_postgres() {
  [ -n "${PG_TEST_DATA:-}" ] || return 0
  su postgres -s /bin/sh -c "$PG_TEST_BIN/pg_ctl -D $PG_TEST_DATA -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DATA"
}
