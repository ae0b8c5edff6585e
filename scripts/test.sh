#!/usr/bin/env bash
# The whole test suite against a real local Kafka 4 broker. Installs what it needs first.
# Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh

STATE="$ROOT/.state/test-broker"
PORT=$(.venv/bin/python -c "from streams.local.broker import free_port; print(free_port())")
CPORT=$(.venv/bin/python -c "from streams.local.broker import free_port; print(free_port())")
stop_broker() { .venv/bin/casualty broker stop --state-dir "$STATE" >/dev/null 2>&1 || true; }
trap stop_broker EXIT
KAFKA_BOOTSTRAP=$(.venv/bin/casualty broker start --fresh --state-dir "$STATE" --port "$PORT" --controller-port "$CPORT")
export KAFKA_BOOTSTRAP
echo "test: broker at $KAFKA_BOOTSTRAP"

.venv/bin/ruff check .
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
# pytest exits 5 when no test ran: that is a failure for us, never a pass.
exit $rc
