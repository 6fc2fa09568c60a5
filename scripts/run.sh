#!/usr/bin/env bash
# Start the whole application: migrations, demo data, Redis, an rq worker and the web server.
# Each of the three is supervised: if one stops (crash, kill, out of memory), it is restarted after a
# back-off (1 s, doubling to 30 s; back to 1 s after a minute of running) while the others keep going.
# What stopped and when it came back is written to the console and to $VAR_DIR/log/supervisor.log;
# /api/v1/health says whether Redis and the worker answer. Ctrl-C (or SIGTERM) stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
export APP_MODE=${APP_MODE:-demo} PORT=${PORT:-5000} VAR_DIR=${VAR_DIR:-$PWD/var}
export OMP_THREAD_LIMIT=1
umask 077                                   # the database, the file store and the keys: this user only
mkdir -p "$VAR_DIR/log" "$VAR_DIR/run"
PY=.venv/bin/python
LOG="$VAR_DIR/log/supervisor.log"
supervisors=()

say() { echo "==> $*"; echo "$(date -u +%FT%TZ) $*" >>"$LOG"; }

# supervise NAME CMD…: run CMD, restart it with back-off whenever it stops; its pid in $VAR_DIR/run/NAME.pid.
supervise() {
  local name=$1; shift
  (
    child=
    trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait 2>/dev/null; exit 0' TERM INT
    delay=1
    while true; do
      started=$(date +%s)
      "$@" &
      child=$!
      echo "$child" >"$VAR_DIR/run/$name.pid"
      rc=0; wait "$child" || rc=$?
      if [ $(( $(date +%s) - started )) -ge 60 ]; then delay=1; fi
      say "$name đã dừng (mã thoát $rc); khởi động lại sau $delay s"
      sleep "$delay" & wait $! || true
      delay=$(( delay * 2 > 30 ? 30 : delay * 2 ))
      say "$name: khởi động lại"
    done
  ) &
  supervisors+=($!)
}

stop() {
  trap - INT TERM EXIT
  echo; echo "==> Đang dừng…"
  for pid in "${supervisors[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$VAR_DIR"/run/*.pid
  echo "==> Đã dừng."
}
trap stop INT TERM EXIT

redis_ok() { $PY -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()" "$1" 2>/dev/null; }

if [ -n "${REDIS_URL:-}" ] && redis_ok "$REDIS_URL"; then
  echo "==> Dùng Redis tại $REDIS_URL"
else
  port=$($PY -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
  mkdir -p "$VAR_DIR/redis"
  supervise redis redis-server --port "$port" --bind 127.0.0.1 --dir "$VAR_DIR/redis" --appendonly yes \
    --save "60 1" --logfile "$VAR_DIR/log/redis.log"
  export REDIS_URL="redis://127.0.0.1:$port/0"
  for _ in $(seq 50); do redis_ok "$REDIS_URL" && break; sleep 0.1; done
  echo "==> Redis riêng tại $REDIS_URL (dữ liệu trong $VAR_DIR/redis)"
fi

echo "==> Cập nhật cơ sở dữ liệu (Alembic)"
$PY -m storage.migrate
$PY -m workflows.demo

supervise worker sh -c "exec $PY -m workflows.worker >>'$VAR_DIR/log/worker.log' 2>&1"
# The access log names the route, never the query string (search terms) nor a verification code.
supervise web .venv/bin/gunicorn --workers 2 --threads 4 --bind "127.0.0.1:$PORT" --timeout 300 \
  --access-logfile "$VAR_DIR/log/access.log" --access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms' \
  --logger-class webapp.accesslog.RouteLogger --error-logfile "$VAR_DIR/log/web.log" "webapp:create_app()"

for _ in $(seq 100); do
  $PY -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
    "http://127.0.0.1:$PORT/api/v1/health" 2>/dev/null && break; sleep 0.2
done
if [ -n "${PUBLIC_URL:-}" ]; then
  qr="Mã QR trên giấy khen trỏ tới: $PUBLIC_URL/verify/…"
else
  qr="Chú ý: mã QR trên giấy khen trỏ tới http://127.0.0.1:$PORT/verify/… — điện thoại quét sẽ không mở được.
                 Đặt PUBLIC_URL (ví dụ PUBLIC_URL=https://thiduaxa.example.vn make run) trước khi cấp giấy khen."
fi
cat <<TXT

  Ứng dụng đang chạy:  http://127.0.0.1:$PORT
  $qr
  Tài khoản mẫu: admin, congan (Công an xã), vhxh (Phòng VH-XH), chutich, phochutich, vanthu (văn thư),
                 donvi01 … donvi20 (cán bộ từng đơn vị)
  Mật khẩu: \$DEMO_PASSWORD nếu đã đặt, nếu không là mật khẩu in ra ở lần chạy đầu.
  Nhật ký: $VAR_DIR/log/   ·   Ctrl-C để dừng tất cả.

TXT
wait "${supervisors[@]}" || true
