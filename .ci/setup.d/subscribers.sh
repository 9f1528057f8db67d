#!/bin/sh
# subscribers module tests: a PostgreSQL cluster with a role and database for the JDBC store tests (read from
# TINYISP_TEST_PG_URL, set in .ci/env.d/subscribers.env); radclient (freeradius-utils) for the end-to-end test.
# Idempotent; .ci/run sources it under `set -euo pipefail`, so no pipeline here ends in an early-exiting grep -q.
apt-get install -y --no-install-recommends postgresql freeradius-utils >/dev/null
pg_ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_clusters=$(pg_lsclusters -h)
case "$pg_clusters" in
  *"$pg_ver main"*) ;;
  *) pg_createcluster "$pg_ver" main >/dev/null ;;
esac
case "$(pg_lsclusters -h)" in
  *"$pg_ver main "*online*) ;;
  *) pg_ctlcluster "$pg_ver" main start ;;
esac
for _ in $(seq 1 30); do
  if su postgres -c "psql -qtAc 'SELECT 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
if [ "$(su postgres -c "psql -qtAc \"SELECT count(*) FROM pg_roles WHERE rolname='tinyisp_test'\"")" = 0 ]; then
  su postgres -c "psql -qc \"CREATE ROLE tinyisp_test LOGIN PASSWORD 'tinyisp_test'\""
fi
if [ "$(su postgres -c "psql -qtAc \"SELECT count(*) FROM pg_database WHERE datname='tinyisp_test'\"")" = 0 ]; then
  su postgres -c "createdb -O tinyisp_test tinyisp_test"
fi
# the test role may log in from loopback without a password, so TINYISP_TEST_PG_URL carries no '&' (.ci/run
# sources .ci/env.d); only this role, only this database, only 127.0.0.1
pg_hba=$(su postgres -c "psql -qtAc 'SHOW hba_file'")
if ! grep '^host tinyisp_test tinyisp_test 127.0.0.1/32 trust' "$pg_hba" >/dev/null; then
  sed -i '0,/^\(host\|local\)/s//host tinyisp_test tinyisp_test 127.0.0.1\/32 trust\n&/' "$pg_hba"
  su postgres -c "psql -qtAc 'SELECT pg_reload_conf()'" >/dev/null
fi
