#!/usr/bin/env bash
# Kabinet under ../shared/bench/loadgen.py (webhook, one process), beside the aiogram peer.
#
#   bench/run.sh setup [ACCOUNTS=20000]     # database kabinet_bench: migrate, synthetic seed, link chats
#   bench/run.sh closed USERS [SECONDS=30]  # closed loop: each user sends its next update at once
#   bench/run.sh paced USERS [SECONDS=30]   # a person's pace: each user waits 2 s between updates
#   bench/run.sh peer USERS [SECONDS=30] [paced]   # the aiogram peer, same flow, same harness
#
# Needs the harness's venv (see ../shared/bench/README.md: /tmp/bench-venv with aiogram, asyncpg,
# redis, aiohttp, uvloop), a release build (`cargo build --release`), Postgres and Redis on this
# machine. Kabinet uses Redis db 1 and prefix `kabinet-bench:`; results go to $OUT.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${SHARED:-$ROOT/../shared/bench}"
VENV="${VENV:-/tmp/bench-venv}"
OUT="${OUT:-/tmp/bench-results}"
KABINET="${KABINET:-$ROOT/target/release/kabinet}"
SECRET=bench-secret-bench-secret-bench-secret-0123
DB=postgres://postgres@127.0.0.1:5432/kabinet_bench
mkdir -p "$OUT"

kabinet_env() {
    cat <<ENV
DATABASE_URL=$DB
REDIS_URL=redis://127.0.0.1:6379/1
REDIS_PREFIX=kabinet-bench:
TELEGRAM_TOKEN=123:ABC
TELEGRAM_API_URL=http://127.0.0.1:8081/
PUBLIC_URL=http://127.0.0.1:8090
TELEGRAM_WEBHOOK_SECRET=$SECRET
LISTEN_ADDR=127.0.0.1:8090
METRICS_ADDR=127.0.0.1:9190
RUST_LOG=warn
TELEGRAM_MAX_PER_SECOND=${MAX_PER_SECOND:-100000}
ENV
}

flow() { # closed|paced -> a flow file
    local flow="$OUT/kabinet_readings_$1.json"
    if [ "$1" = paced ]; then
        sed 's/"quiet_ms": 5}/"quiet_ms": 5, "think_ms": 2000}/' "$HERE/kabinet_readings.json" > "$flow"
    else
        cp "$HERE/kabinet_readings.json" "$flow"
    fi
    echo "$flow"
}

case "${1:-}" in
setup)
    accounts="${2:-20000}"
    psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS kabinet_bench" -c "CREATE DATABASE kabinet_bench"
    env $(kabinet_env | xargs) "$KABINET" migrate
    env $(kabinet_env | xargs) "$KABINET" seed --synthetic "$accounts"
    # Statistics first: without them picking the chats' accounts takes minutes instead of seconds.
    psql -h 127.0.0.1 -U postgres -d kabinet_bench -qc "ANALYZE"
    psql -h 127.0.0.1 -U postgres -d kabinet_bench -v ON_ERROR_STOP=1 -q -f "$HERE/link_chats.sql"
    ;;
closed|paced)
    mode=$1; users=${2:?USERS}; secs=${3:-30}
    tag="kabinet_${mode}_u${users}"
    redis-cli -h 127.0.0.1 -n 1 --scan --pattern 'kabinet-bench:*' | xargs -r -n 500 redis-cli -h 127.0.0.1 -n 1 del >/dev/null
    # loadgen numbers updates from 1001 every run: forget the last run's, or they are duplicates.
    psql -h 127.0.0.1 -U postgres -d kabinet_bench -qc "TRUNCATE tg_inbox, tg_chat_leases"
    PG_PID="$(head -1 /var/lib/postgresql/*/main/postmaster.pid)"
    REDIS_PID="$(redis-cli -h 127.0.0.1 info server | awk -F: '/^process_id/{print $2}' | tr -d '\r')"
    "$VENV/bin/python" "$SHARED/loadgen.py" --flow "$(flow "$mode")" -n "$users" -d "$secs" -w 5 \
        --webhook http://127.0.0.1:8090/telegram/webhook --secret "$SECRET" \
        --bot-pid "@$OUT/kabinet.pid" --cpu-tree "postgres=$PG_PID" --cpu "redis=$REDIS_PID" \
        --json-out "$OUT/$tag.json" -v > "$OUT/$tag.txt" 2> "$OUT/$tag.err" &
    lg=$!
    for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:8081/bot1:x/getMe && break; sleep 0.1; done
    ( set -a; eval "$(kabinet_env)"; set +a; exec "$KABINET" serve ) > "$OUT/$tag.bot.log" 2>&1 &
    bot=$!; echo $bot > "$OUT/kabinet.pid"
    wait $lg || true
    grep -E 'VmHWM|VmRSS' /proc/$bot/status > "$OUT/$tag.rss" 2>/dev/null || true
    kill -TERM $bot 2>/dev/null; wait $bot 2>/dev/null || true
    cat "$OUT/$tag.txt" "$OUT/$tag.rss"
    ;;
peer)
    users=${2:?USERS}; secs=${3:-30}
    flowfile="$SHARED/flows/readings.json"
    if [ "${4:-}" = paced ]; then
        flowfile="$OUT/peer_readings_paced.json"
        sed 's/"defaults": {\([^}]*\)}/"defaults": {\1, "think_ms": 2000}/' "$SHARED/flows/readings.json" > "$flowfile"
    fi
    OUT="$OUT" VENV="$VENV" FLOW="$flowfile" TAG_SUFFIX="_${4:-closed}" bash "$SHARED/peer_aiogram/run.sh" "$users" "$secs" 5
    ;;
*)
    sed -n '2,12p' "$0"; exit 2 ;;
esac
