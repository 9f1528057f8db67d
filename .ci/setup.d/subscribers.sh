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
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='tinyisp_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O tinyisp_test tinyisp_test"
