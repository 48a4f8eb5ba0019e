#!/usr/bin/env bash
# Install what the tests need (tools/setup_env.sh, idempotent), then run them.
#   bash tools/run_tests.sh [pytest args...]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=$(bash "$ROOT/tools/setup_env.sh" | tail -n 1)
cd "$ROOT"
exec "$PY" -m pytest tests "$@"
