#!/usr/bin/env bash
# Installs the npm servers the end-to-end tests start on 127.0.0.1 (s3rver, dynalite) from
# tests/servers/package-lock.json, and playwright-core for the console browser test from
# tests/console/package-lock.json. Idempotent and quiet when node_modules already matches the
# lockfile; without node/npm it says so and leaves the tests that need them to skip.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"

if ! command -v npm >/dev/null 2>&1; then
  echo "install-test-servers: npm not found; the S3 and DynamoDB tests against real servers" \
       "and the console browser test will be skipped (install Node.js 20 or later)" >&2
  exit 0
fi
# tests/servers: s3rver and dynalite; tests/console: playwright-core for the console browser
# test (which drives Debian's chromium, installed by scripts/install-deps.sh).
# tests/deploy: the CloudFormation resource specification (@aws-cdk/cfnspec) test_export.py
# checks exported templates against. tests/sdk-js: @aws-sdk/client-sfn (test_api_sdk_js.py).
for dir in "$root/tests/servers" "$root/tests/console" "$root/tests/deploy" "$root/tests/sdk-js"; do
  stamp="$dir/node_modules/.package-lock.json"
  # npm ci writes node_modules/.package-lock.json; when it is newer than the lockfile, the
  # installed packages are the locked ones.
  if [ -f "$stamp" ] && [ "$stamp" -nt "$dir/package-lock.json" ]; then
    continue
  fi
  echo "install-test-servers: npm ci in ${dir#"$root"/}" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
done
