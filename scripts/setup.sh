#!/usr/bin/env bash
# Set up ksf-review in ./.venv (Python 3.11).
#   bash scripts/setup.sh          runtime requirements (+ Debian's ffmpeg, used by pydub for library clips)
#   bash scripts/setup.sh --test   also the test requirements and Debian's chromium (Playwright drives it;
#                                  no browser download), postgresql (a throw-away test server) and poppler-utils
# Debian packages are installed only when running as root with apt-get; otherwise a note is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then "$PY" -m venv .venv; fi
# pip and setuptools inside the venv: python -m venv brings the interpreter's bundled copies (setuptools
# 65.5 on 3.11, with known vulnerabilities: CVE-2022-40897, CVE-2024-6345, CVE-2025-47273). The floors
# are the first fixed releases; the newest release is taken.
.venv/bin/python -m pip install -q --upgrade "pip>=25.3" "setuptools>=78.1.1" >/dev/null
need_pairs="ffmpeg:ffmpeg"
if [ "${1:-}" = "--test" ]; then
  .venv/bin/pip install -q -r requirements-dev.txt
  need_pairs="$need_pairs chromium:chromium pg_ctl:postgresql pdftoppm:poppler-utils"
else
  .venv/bin/pip install -q -r requirements.txt
fi
.venv/bin/pip install -q --no-deps -r requirements-nodeps.txt
need=()
for pair in $need_pairs; do
  tool=${pair%%:*}
  if [ "$tool" = pg_ctl ]; then ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && continue
  else command -v "$tool" >/dev/null && continue; fi
  need+=("${pair##*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "let op: installeer ${need[*]} (Debian) voor alle functies en tests" >&2
  fi
fi
