#!/usr/bin/env bash
# Azurite (Azure Storage emulator, blob service only) for the blob journal tests, installed from npm into
# eng/azurite/node_modules (git-ignored) at the version package-lock.json pins.
#   source eng/azurite/azurite.sh start   installs if needed, starts on a free loopback port, exports RF_TEST_BLOB_CONNECTION
#   eng/azurite/azurite.sh stop           stops the instance started above (by its pid)
# Tests read RF_TEST_BLOB_CONNECTION (default: UseDevelopmentStorage=true, i.e. 127.0.0.1:10000) and FAIL, never
# skip, when nothing answers there.
azurite_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
azurite_state="${AZURITE_STATE:-${TMPDIR:-/tmp}/rf-azurite}"

azurite_start() {
  ( cd "$azurite_dir" && [ -x node_modules/.bin/azurite-blob ] || npm ci --no-audit --no-fund --loglevel=error ) || return 1
  mkdir -p "$azurite_state/data"
  local port
  port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  "$azurite_dir/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$port" --location "$azurite_state/data" \
    --silent --skipApiVersionCheck > "$azurite_state/azurite.log" 2>&1 &
  echo $! > "$azurite_state/pid"
  for _ in $(seq 1 60); do
    if node -e "require('net').connect($port,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; then
      export RF_TEST_BLOB_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
      echo "Azurite blob service on 127.0.0.1:$port (pid $(cat "$azurite_state/pid"))"
      return 0
    fi
    sleep 0.5
  done
  echo "Azurite did not start; log:" >&2
  cat "$azurite_state/azurite.log" >&2
  return 1
}

azurite_stop() {
  if [ -f "$azurite_state/pid" ]; then
    kill "$(cat "$azurite_state/pid")" 2>/dev/null || true
    rm -f "$azurite_state/pid"
  fi
  rm -rf "$azurite_state/data"
}

case "${1:-}" in
  start) azurite_start ;;
  stop) azurite_stop ;;
  *) echo "usage: source eng/azurite/azurite.sh start | eng/azurite/azurite.sh stop" >&2; return 2 2>/dev/null || exit 2 ;;
esac
