#!/usr/bin/env bash
# Check the pinned requirements for known vulnerabilities with pip-audit (by hand, not in CI).
# pip-audit goes into a throw-away venv (it is no dependency of ksf-review and must not change
# .venv); it asks a vulnerability service on the internet: PyPI's JSON API (default) or OSV
# (`bash scripts/audit_requirements.sh -s osv`). Record the result and the date in docs/security.md.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${PYTHON:-python3}" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --upgrade pip pip-audit
"$tmp/venv/bin/pip-audit" --version
# --no-deps --disable-pip: audit exactly the pinned versions, without installing them
"$tmp/venv/bin/pip-audit" --disable-pip --no-deps --progress-spinner off \
  -r requirements.txt -r requirements-dev.txt -r requirements-nodeps.txt "$@"
