"""The optional mypyc-compiled extractor (``python -m extractors.compile``) gives the same records
as the pure-Python modules, and the switch between the two works."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import extractors
from extractors import compile as compiler


def test_pure_switch_imports_the_sources() -> None:
    env = {**os.environ, extractors.NATIVE.pure_env: "1"}
    out = subprocess.run([sys.executable, "-c", "import extractors; print(extractors.COMPILED)"],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_stamp_lists_every_compiled_module() -> None:
    text = extractors.NATIVE.stamp_text(extractors.NATIVE.source_hashes())
    assert [line.split()[0] for line in text.splitlines()[1:]] == sorted(extractors.NATIVE.modules)


@pytest.mark.skipif(not extractors.COMPILED, reason="compiled extractor not built (python -m extractors.compile)")
def test_compiled_output_equals_pure_python() -> None:
    pure = compiler.BUILD.output(pure=True)
    compiled = compiler.BUILD.output(pure=False)
    assert (pure[0], compiled[0]) == ("False", "True")
    assert len(compiled) > 100
    assert compiled[1:] == pure[1:]
