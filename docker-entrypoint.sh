#!/bin/sh
# Migrations normally run once in the compose file's `migrate` job; MIGRATE_ON_START=1
# runs them here instead (a single-container deployment).
set -e
if [ "${MIGRATE_ON_START:-0}" = "1" ]; then
  python manage.py migrate --noinput
fi
exec "$@"
