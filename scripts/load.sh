#!/usr/bin/env bash
# The load test (`make load`): 50 concurrent users for LOAD_SECONDS against the app as deployed —
# gunicorn with DEBUG=0 on 127.0.0.1, PostgreSQL with LOAD_TASKS simulated tasks (a database of its
# own, camau_load by default, never the office's) — then the table of response times by request,
# the errors, and the memory of each gunicorn worker afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
LOAD_DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/camau_load}
LOAD_TASKS=${LOAD_TASKS:-100000}
LOAD_USERS=${LOAD_USERS:-50}
LOAD_SECONDS=${LOAD_SECONDS:-120}
LOAD_WORKERS=${LOAD_WORKERS:-4}
PORT=${LOAD_PORT:-8799}
OUT=${LOAD_OUT:-var/load}
mkdir -p "$OUT"

case "$LOAD_DATABASE_URL" in
  postgres*) ;;
  *) echo "Phép thử tải chạy trên PostgreSQL: đặt LOAD_DATABASE_URL=postgres://…" >&2; exit 2 ;;
esac
name=${LOAD_DATABASE_URL##*/}
base=${LOAD_DATABASE_URL%/*}
psql "$base/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
  || psql "$base/postgres" -qc "CREATE DATABASE \"$name\""

export DATABASE_URL=$LOAD_DATABASE_URL DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=0 LOG_LEVEL=WARNING
SECRET_KEY=$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(64))')
LOAD_PASSWORD=$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(16))')
export SECRET_KEY LOAD_PASSWORD LOAD_PLAN=$OUT/plan.json STATIC_ROOT=$OUT/static VAR_DIR=$OUT/var

$BIN/python manage.py migrate --noinput -v 0
$BIN/python manage.py prepare_load --tasks "$LOAD_TASKS" --password "$LOAD_PASSWORD" --out "$LOAD_PLAN"
$BIN/python manage.py collectstatic --noinput -v 0

$BIN/gunicorn camau_tasks.wsgi --bind "127.0.0.1:$PORT" --workers "$LOAD_WORKERS" \
  --pid "$OUT/gunicorn.pid" --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
gunicorn=$!
trap 'kill $gunicorn 2>/dev/null || true; wait $gunicorn 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done

$BIN/locust -f demo/load/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users "$LOAD_USERS" --spawn-rate 10 --run-time "${LOAD_SECONDS}s" --stop-timeout 10 \
  --csv "$OUT/locust" --only-summary --loglevel WARNING >"$OUT/locust.log" 2>&1 || true

$BIN/python scripts/load_report.py "$OUT/locust_stats.csv" "$(cat "$OUT/gunicorn.pid")" "$LOAD_TASKS" "$LOAD_USERS"
