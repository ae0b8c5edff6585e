"""The optional mypyc-compiled event resolution (``python -m streams.events.build``) resolves the
same event changes as the pure-Python modules, and the switch between the two works."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import streams.events
from streams.events import build as compiler


def test_pure_switch_imports_the_sources() -> None:
    env = {**os.environ, streams.events.NATIVE.pure_env: "1"}
    out = subprocess.run([sys.executable, "-c", "import streams.events as e; print(e.COMPILED, e.Resolver.__module__)"],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "streams.events.resolver"]


def test_stamp_lists_every_compiled_module() -> None:
    text = streams.events.NATIVE.stamp_text(streams.events.NATIVE.source_hashes())
    assert [line.split()[0] for line in text.splitlines()[1:]] == sorted(streams.events.NATIVE.modules)


@pytest.mark.skipif(not streams.events.COMPILED, reason="compiled events not built (python -m streams.events.build)")
def test_compiled_resolution_equals_pure_python() -> None:
    pure = compiler.BUILD.output(pure=True)
    compiled = compiler.BUILD.output(pure=False)
    assert (pure[0], compiled[0]) == ("False", "True")
    assert sum(1 for line in compiled if line.startswith("skip ")) > 1000
    assert len(compiled) > 5000
    assert compiled[1:] == pure[1:]
