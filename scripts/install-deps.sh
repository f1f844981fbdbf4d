#!/usr/bin/env bash
# Installs the Debian packages autoretrain needs to build and test. Idempotent and quiet when
# everything is already there; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  g++ cmake make pkg-config python3
  libboost-json1.81-dev libboost1.81-dev libcli11-dev libsqlite3-dev libssl-dev
  libcurl4-openssl-dev libpcre2-dev libmimalloc-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # The sanitizer build and its fuzz targets (make sanitize, make fuzz): clang and its
  # libFuzzer and sanitizer runtimes.
  clang libclang-rt-14-dev
  # Real AWS clients for the API tests: the AWS CLI and boto3 (run with /usr/bin/python3).
  awscli python3-boto3
  # The browser the console's browser test drives (tests/console).
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
