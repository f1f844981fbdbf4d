#!/usr/bin/env bash
# Installs the npm servers the end-to-end tests start on 127.0.0.1 (s3rver, dynalite) from
# tests/servers/package-lock.json. Idempotent and quiet when node_modules already matches the
# lockfile; without node/npm it says so and leaves the tests that need them to skip.
set -euo pipefail

dir="$(cd "$(dirname "$0")/.." && pwd)/tests/servers"
stamp="$dir/node_modules/.package-lock.json"

if ! command -v npm >/dev/null 2>&1; then
  echo "install-test-servers: npm not found; the S3 and DynamoDB tests against real servers will be skipped" \
       "(install Node.js 20 or later)" >&2
  exit 0
fi
# npm ci writes node_modules/.package-lock.json; when it is newer than the lockfile, the
# installed packages are the locked ones.
if [ -f "$stamp" ] && [ "$stamp" -nt "$dir/package-lock.json" ]; then
  exit 0
fi
echo "install-test-servers: npm ci in tests/servers" >&2
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
