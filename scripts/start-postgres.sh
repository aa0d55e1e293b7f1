# Sourced by .ci/run: start a throw-away PostgreSQL cluster on loopback for the history tests
# and export SDKREG_TEST_POSTGRES_URL.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir=$(mktemp -d /tmp/sdkreg-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chown postgres "$pg_dir"
su postgres -c "$pg_bin/initdb -D $pg_dir/data -A trust -U postgres" >/dev/null
su postgres -c "$pg_bin/pg_ctl -D $pg_dir/data -o '-k $pg_dir -p $pg_port -c listen_addresses=127.0.0.1' -w start -l $pg_dir/log" >/dev/null
su postgres -c "$pg_bin/createdb -h 127.0.0.1 -p $pg_port sdkreg_test"
export SDKREG_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$pg_port/sdkreg_test"
