#!/usr/bin/env bash
# The test command (README, .ci/run): set up, check the style, run the whole suite.
#   bash scripts/test.sh               everything, as CI does
#   bash scripts/test.sh tests/unit    extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
