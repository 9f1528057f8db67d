#!/bin/sh
# subscribers module tests: a PostgreSQL cluster with a role and database for the JDBC store tests
# (read from TINYISP_TEST_PG_URL, set in .ci/env.d/subscribers.env); freeradius-utils for radclient.
set -e
apt-get install -y --no-install-recommends postgresql freeradius-utils
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$ver main"; then
  pg_createcluster "$ver" main
fi
pg_ctlcluster "$ver" main start 2>/dev/null || pg_lsclusters -h | grep "^$ver main" | grep -q online
for i in $(seq 1 30); do
  su postgres -c "psql -qtAc 'SELECT 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='tinyisp_test'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE tinyisp_test LOGIN PASSWORD 'tinyisp_test'\""
# the test role may log in from loopback without a password, so TINYISP_TEST_PG_URL carries no '&' that a
# shell sourcing .ci/env.d would take for a background operator; only this role, only this database, only lo
hba=$(su postgres -c "psql -qtAc 'SHOW hba_file'")
if ! grep -q '^host tinyisp_test tinyisp_test 127.0.0.1/32 trust' "$hba"; then
  sed -i '0,/^\(host\|local\)/s//host tinyisp_test tinyisp_test 127.0.0.1\/32 trust\n&/' "$hba"
  su postgres -c "psql -qtAc 'SELECT pg_reload_conf()'" >/dev/null
fi
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='tinyisp_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O tinyisp_test tinyisp_test"
