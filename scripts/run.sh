#!/usr/bin/env bash
# Start the whole application: migrations, demo data, Redis, an rq worker and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
export APP_MODE=${APP_MODE:-demo} PORT=${PORT:-5000} VAR_DIR=${VAR_DIR:-$PWD/var}
export OMP_THREAD_LIMIT=1
mkdir -p "$VAR_DIR/log"
PY=.venv/bin/python
pids=()

stop() {
  trap - INT TERM EXIT
  echo; echo "==> Đang dừng…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "==> Đã dừng."
}
trap stop INT TERM EXIT

redis_ok() { $PY -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()" "$1" 2>/dev/null; }

if [ -n "${REDIS_URL:-}" ] && redis_ok "$REDIS_URL"; then
  echo "==> Dùng Redis tại $REDIS_URL"
else
  port=$($PY -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
  mkdir -p "$VAR_DIR/redis"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$VAR_DIR/redis" --appendonly yes --save "60 1" \
    --logfile "$VAR_DIR/log/redis.log" &
  pids+=($!)
  export REDIS_URL="redis://127.0.0.1:$port/0"
  for _ in $(seq 50); do redis_ok "$REDIS_URL" && break; sleep 0.1; done
  echo "==> Redis riêng tại $REDIS_URL (dữ liệu trong $VAR_DIR/redis)"
fi

echo "==> Cập nhật cơ sở dữ liệu (Alembic)"
$PY -m storage.migrate
$PY -m workflows.demo

$PY -m workflows.worker >>"$VAR_DIR/log/worker.log" 2>&1 &
pids+=($!)
.venv/bin/gunicorn --workers 2 --threads 4 --bind "127.0.0.1:$PORT" --timeout 300 \
  --access-logfile "$VAR_DIR/log/access.log" --error-logfile "$VAR_DIR/log/web.log" "webapp:create_app()" &
pids+=($!)

for _ in $(seq 100); do
  $PY -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
    "http://127.0.0.1:$PORT/api/v1/health" 2>/dev/null && break; sleep 0.2
done
cat <<TXT

  Ứng dụng đang chạy:  http://127.0.0.1:$PORT
  Tài khoản mẫu: admin, congan (Công an xã), vhxh (Phòng VH-XH), chutich, phochutich, vanthu (văn thư),
                 donvi01 … donvi20 (cán bộ từng đơn vị)
  Mật khẩu: \$DEMO_PASSWORD nếu đã đặt, nếu không là mật khẩu in ra ở lần chạy đầu.
  Nhật ký: $VAR_DIR/log/   ·   Ctrl-C để dừng tất cả.

TXT
wait -n "${pids[@]}" || true
