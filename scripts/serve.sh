#!/usr/bin/env bash
# Serve the product in the foreground: web, Celery worker and Celery beat. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$BIN/celery -A camau_tasks worker --loglevel=INFO --concurrency=2 --hostname="worker@%h" &
pids+=($!)
$BIN/celery -A camau_tasks beat --loglevel=INFO &
pids+=($!)
$BIN/python manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)

cat <<MSG

  Hệ thống theo dõi nhiệm vụ – Văn phòng UBND tỉnh Cà Mau
  Địa chỉ:  http://$HOST:$PORT/
  Tài khoản mẫu (mật khẩu camau2023): vanphong (Văn phòng), lanhdao (Lãnh đạo),
      sokhdt (Sở KH&ĐT), sotaichinh (Sở Tài chính), admin (Quản trị)
  Ctrl-C để dừng web, worker và beat.

MSG
# Stop everything as soon as any one of the three exits.
wait -n "${pids[@]}"
