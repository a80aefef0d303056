#!/usr/bin/env bash
# Set up ksf-review in ./.venv (Python 3.11).  `--test` also installs what the tests need:
# the dev requirements and, as root with apt-get, Debian's ffmpeg, chromium, postgresql and
# poppler-utils (Playwright drives Debian's Chromium; no browser download).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then "$PY" -m venv .venv; fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "${1:-}" = "--test" ]; then
  .venv/bin/pip install -q -r requirements-dev.txt
  need=()
  for pair in ffmpeg:ffmpeg chromium:chromium pg_ctlcluster:postgresql pdftoppm:poppler-utils; do
    command -v "${pair%%:*}" >/dev/null || need+=("${pair##*:}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
      echo "let op: installeer ${need[*]} (Debian) voor de audio-, browser- en PostgreSQL-tests" >&2
    fi
  fi
else
  .venv/bin/pip install -q -r requirements.txt
fi
.venv/bin/pip install -q --no-deps -r requirements-nodeps.txt
