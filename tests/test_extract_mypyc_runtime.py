"""The shared switch between a package's mypyc-compiled modules and its sources
(:mod:`extractors.mypyc_runtime`), on a throwaway package: a stamp of other sources or the PURE
variable keeps a build from running, and a compiled module that does not load falls back to the sources."""

from __future__ import annotations

import importlib.machinery
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractors.mypyc_runtime import CompiledModules

ENV = "CASUALTY_TEST_MYPYC_PURE"


@pytest.fixture
def native(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CompiledModules]:
    """A package ``<name>`` with a compiled module ``fast`` (its build a damaged file), a module
    ``slow`` that is never compiled, and a stamp of the current sources."""
    name = f"mypyc_pkg_{tmp_path.name.replace('-', '_')}"
    pkg = tmp_path / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "fast.py").write_text("def double(x: int) -> int:\n    return 2 * x\n")
    (pkg / "slow.py").write_text("LOADED = True\n")
    (pkg / f"fast{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"not a shared library")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))  # drops the finders load() adds
    monkeypatch.delenv(ENV, raising=False)
    modules = CompiledModules(package=name, directory=pkg, modules=("fast",), pure_env=ENV)
    modules.stamp.write_text(modules.stamp_text(modules.source_hashes()))
    yield modules
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]


def test_a_stamp_of_the_current_sources_lets_the_build_run(native: CompiledModules) -> None:
    assert native.root == native.directory.parent
    assert [p.name for p in native.built_files()] == [f"fast{importlib.machinery.EXTENSION_SUFFIXES[0]}"]
    assert native.is_current()
    assert not native.must_use_sources()


def test_an_edited_source_keeps_the_build_from_running(native: CompiledModules) -> None:
    (native.directory / "slow.py").write_text("LOADED = False\n")  # not compiled: no effect
    assert native.is_current()
    (native.directory / "fast.py").write_text("def double(x: int) -> int:\n    return x + x\n")
    assert not native.is_current()
    assert native.must_use_sources()


def test_a_stamp_of_another_interpreter_keeps_the_build_from_running(native: CompiledModules) -> None:
    text = native.stamp.read_text()
    native.stamp.write_text(text.replace(sys.implementation.cache_tag, "cpython-39", 1))
    assert not native.is_current()
    native.stamp.unlink()
    assert not native.is_current()
    assert native.must_use_sources()


def test_the_pure_variable_keeps_a_current_build_from_running(native: CompiledModules,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "1")
    assert native.must_use_sources()
    monkeypatch.setenv(ENV, "0")
    assert not native.must_use_sources()


def test_without_a_build_there_is_nothing_to_avoid(native: CompiledModules, monkeypatch: pytest.MonkeyPatch) -> None:
    for p in native.built_files():
        p.unlink()
    monkeypatch.setenv(ENV, "1")
    assert not native.must_use_sources()
    assert native.load("fast") is False
    assert sys.modules[f"{native.package}.fast"].double(4) == 8


def test_a_stale_build_is_never_tried(native: CompiledModules) -> None:
    (native.directory / "fast.py").write_text("def double(x: int) -> int:\n    return x + x\n")
    slow = importlib.import_module(f"{native.package}.slow")
    # the damaged build is not even opened: no fallback, which would forget the modules imported so far
    assert native.load("fast") is False
    assert sys.modules[f"{native.package}.slow"] is slow
    assert sys.modules[f"{native.package}.fast"].__file__ == str(native.directory / "fast.py")


def test_a_current_build_that_does_not_load_falls_back_to_the_sources(native: CompiledModules) -> None:
    importlib.import_module(f"{native.package}.slow")
    assert native.load("fast") is False  # the damaged library was tried, then the sources imported
    assert f"{native.package}.slow" not in sys.modules  # forgotten with the failed import
    fast = sys.modules[f"{native.package}.fast"]
    assert fast.__file__ == str(native.directory / "fast.py")
    assert fast.double(21) == 42
    assert not native.compiled_in_use()
