"""The layout of streams/ says which library a change touches (README, "How it works").

* the kafka-python tools, the local broker, the settings and the pure modules import neither Faust
  nor aiokafka (so a Faust upgrade cannot break ``casualty feed``, and the arithmetic is tested alone);
* no two modules of streams/, schemas/ and extractors/ share a name, except that streams/cli/ names
  each module after the ``casualty`` subcommand it holds.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from streams.cli.main import SUBCOMMANDS

ROOT = Path(__file__).resolve().parent.parent
WITHOUT_FAUST = (
    "streams.config",
    "streams.connection",
    "streams.clients.connect",
    "streams.clients.subscribe",
    "streams.clients.tallies",
    "streams.feed",
    "streams.feed.sources",
    "streams.labelled_inputs",
    "streams.local.broker",
    "streams.local.supervise",
    "streams.regions",
    "streams.web.dashboard",
    "streams.web.export",
    "streams.web.metrics",
    "streams.web.query",
    "streams.worker.tally",
    "streams.worker.processing",
)


@pytest.mark.parametrize("module", WITHOUT_FAUST)
def test_module_imports_neither_faust_nor_aiokafka(module: str) -> None:
    probe = f"import sys, {module}; print(sorted(m for m in ('faust', 'aiokafka') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_worker_app_module_is_where_faust_finds_the_app() -> None:
    probe = "import faust, streams.worker.app as m; print(isinstance(m.app, faust.App))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "True"


def test_no_two_modules_share_a_name_outside_the_cli() -> None:
    names = Counter(
        path.stem
        for package in ("streams", "schemas", "extractors")
        for path in (ROOT / package).rglob("*.py")
        if path.stem != "__init__" and "cli" not in path.relative_to(ROOT).parts
    )
    assert [name for name, count in names.items() if count > 1] == []


def test_cli_modules_are_named_after_their_subcommands() -> None:
    commands = {module.rsplit(".", 1)[1] for module, _, _ in SUBCOMMANDS.values()}
    helpers = {"main", "client_options", "input_options"}
    found = {path.stem for path in (ROOT / "streams" / "cli").glob("*.py")} - {"__init__"}
    assert found - helpers == commands
