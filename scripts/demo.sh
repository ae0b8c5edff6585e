#!/usr/bin/env bash
# The whole system on the embedded local broker: broker, worker, sample feed, live tables, metrics.
# Usage: bash scripts/demo.sh [casualty demo options, e.g. --once]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CASUALTY_SETUP_MONITORING=${CASUALTY_SETUP_MONITORING:-0} source scripts/setup.sh
exec .venv/bin/casualty demo "$@"
