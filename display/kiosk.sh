#!/usr/bin/env bash
# Start the waiting-room TV: wait for the queue server, then keep Chromium open on /display.
#
# Chromium shows its own error page and never retries when the server is down at start,
# so this waits until the server answers, and starts Chromium again whenever it exits.
#
# Environment:
#   QUEUE_URL        server address (default http://127.0.0.1:5000)
#   DISPLAY_QUERY    optional query for the page, e.g. "counters=1,2" or "display=lobby"
#   CHROMIUM         browser command (default: chromium, else chromium-browser)
#   KIOSK_PROFILE    Chromium profile folder (default ~/.cache/queue-display)
#   WAIT_SECONDS     pause between checks and restarts (default 3)
set -u

QUEUE_URL="${QUEUE_URL:-http://127.0.0.1:5000}"
QUEUE_URL="${QUEUE_URL%/}"
WAIT_SECONDS="${WAIT_SECONDS:-3}"
KIOSK_PROFILE="${KIOSK_PROFILE:-${HOME:-/tmp}/.cache/queue-display}"
PAGE_URL="$QUEUE_URL/display"
if [ -n "${DISPLAY_QUERY:-}" ]; then
  PAGE_URL="$PAGE_URL?$DISPLAY_QUERY"
fi

if [ -z "${CHROMIUM:-}" ]; then
  for candidate in chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then
      CHROMIUM="$candidate"
      break
    fi
  done
fi
if [ -z "${CHROMIUM:-}" ]; then
  echo "kiosk: no chromium found; set CHROMIUM" >&2
  exit 1
fi

log() {
  echo "kiosk: $(date '+%Y-%m-%d %H:%M:%S') $*" >&2
}

wait_for_server() {
  local said=0
  until curl --silent --fail --max-time 5 --output /dev/null "$QUEUE_URL/api/v1/display/state"; do
    if [ "$said" = 0 ]; then
      log "waiting for $QUEUE_URL"
      said=1
    fi
    sleep "$WAIT_SECONDS"
  done
  log "server answers at $QUEUE_URL"
}

browser_pid=""
stop() {
  log "stopped"
  if [ -n "$browser_pid" ]; then
    kill "$browser_pid" 2>/dev/null
  fi
  exit 0
}
trap stop INT TERM

mkdir -p "$KIOSK_PROFILE"

while true; do
  wait_for_server
  log "starting $CHROMIUM on $PAGE_URL"
  "$CHROMIUM" \
    --kiosk \
    --autoplay-policy=no-user-gesture-required \
    --noerrdialogs \
    --disable-session-crashed-bubble \
    --no-first-run \
    --disable-background-networking \
    --disable-component-update \
    --disable-sync \
    --user-data-dir="$KIOSK_PROFILE" \
    "$PAGE_URL" &
  # In the background, so a stop signal reaches this script while Chromium runs.
  browser_pid=$!
  wait "$browser_pid"
  status=$?
  browser_pid=""
  log "chromium exited with status $status; restarting"
  sleep "$WAIT_SECONDS"
done
