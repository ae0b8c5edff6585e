#!/usr/bin/env bash
# One-time (idempotent) set-up of a fresh machine: system packages, the virtualenv, the Kafka jars.
# Sourced by scripts/demo.sh and scripts/test.sh; safe to run again (it skips what is there).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

need_apt=()
command -v java >/dev/null || need_apt+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need_apt+=(maven)
if [[ "${CASUALTY_SETUP_MONITORING:-1}" == 1 ]]; then
  command -v prometheus >/dev/null || [[ -x /usr/bin/prometheus ]] || need_apt+=(prometheus)
  command -v chromium >/dev/null || need_apt+=(chromium)
fi
if ((${#need_apt[@]})); then
  echo "setup: installing ${need_apt[*]} (Debian packages)"
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  # The Debian package starts a system Prometheus on :9090; we run our own, so stop that one.
  if [[ " ${need_apt[*]} " == *" prometheus "* ]]; then
    (command -v systemctl >/dev/null && $SUDO systemctl disable --now prometheus prometheus-node-exporter 2>/dev/null) || true
    $SUDO pkill -x prometheus 2>/dev/null || true
    $SUDO pkill -f prometheus-node-exporter 2>/dev/null || true
  fi
fi

PY="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.casualty-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  echo "setup: installing casualty-stream and its test extras into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  touch "$stamp"
fi

# The extractor's hot modules compiled with mypyc (1.7-2x faster, same output); skipped when
# current, and on any failure the pure-Python modules are used (see extractors/compile.py).
.venv/bin/python -m extractors.compile || echo "setup: compiled extractor not built; using the pure-Python one"
# The event resolver's modules, the same way (streams/events/build.py).
.venv/bin/python -m streams.events.build || echo "setup: compiled event resolution not built; using the pure-Python one"

echo "setup: resolving the Kafka broker jars (Maven Central, first run only)"
.venv/bin/python -c "from streams.local.broker import ensure_jars; print('setup: jars in', ensure_jars())"
