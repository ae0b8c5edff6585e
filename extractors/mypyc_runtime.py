"""Whether a package's mypyc-compiled modules may run, and importing the package accordingly.

The import-time half of the optional mypyc build (:mod:`extractors.mypyc_build` is the other). A
package with compiled modules describes them with a :class:`CompiledModules` named ``NATIVE`` in its
``__init__`` and imports its implementation through :meth:`CompiledModules.load`, which gives the
package's ``COMPILED`` flag. The compiled modules (``<name>.cpython-*.so`` next to each ``<name>.py``,
plus ``_native__mypyc.*.so`` holding the code) run only when the package's ``_native.stamp`` lists
the hashes of the current sources, so a build older than an edit never runs, and when the package's
PURE environment variable is unset or 0. Otherwise, and when a compiled module does not load here
(another interpreter build, a damaged file), the ``.py`` sources are imported.

Used by ``extractors`` and ``streams.events``; generic, and light on purpose: every worker imports
it at start, so it needs only the import machinery and hashlib (the build's tools stay in
:mod:`extractors.mypyc_build`).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


@dataclass(frozen=True)
class CompiledModules:
    """The modules of one package that mypyc may compile, and the switch that says whether they run."""

    package: str
    """The package's dotted name, e.g. ``"streams.events"``."""
    directory: Path
    """The package's folder: the sources, the compiled modules and the stamp."""
    modules: tuple[str, ...]
    """The modules compiled, by their names in the package."""
    pure_env: str
    """The environment variable that, set to anything but 0, makes the sources run."""

    @property
    def stamp(self) -> Path:
        """The hashes of the sources the compiled modules were built from."""
        return self.directory / "_native.stamp"

    @property
    def root(self) -> Path:
        """The folder holding the package's top-level name (mypyc names modules after paths from it)."""
        return self.directory.parents[self.package.count(".")]

    def built_files(self) -> list[Path]:
        """Compiled artefacts currently in the package folder."""
        return sorted(p for p in self.directory.iterdir() if p.suffix in (".so", ".pyd") and p.is_file())

    def source_hashes(self) -> dict[str, str]:
        """sha256 of each compiled module's source, as written to and compared with the stamp."""
        return {m: hashlib.sha256((self.directory / f"{m}.py").read_bytes()).hexdigest() for m in self.modules}

    def stamp_text(self, hashes: dict[str, str]) -> str:
        """The stamp's content for these source hashes and the running interpreter."""
        lines = [f"python {sys.version_info[0]}.{sys.version_info[1]} {sys.implementation.cache_tag}"]
        lines += [f"{m} {h}" for m, h in sorted(hashes.items())]
        return "\n".join(lines) + "\n"

    def is_current(self) -> bool:
        """Whether compiled modules are present and were built from the current sources."""
        if not self.built_files() or not self.stamp.is_file():
            return False
        return self.stamp.read_text() == self.stamp_text(self.source_hashes())

    def forced_pure(self) -> bool:
        """Whether the PURE environment variable asks for the sources."""
        return os.environ.get(self.pure_env, "") not in ("", "0")

    def must_use_sources(self) -> bool:
        """Compiled modules are present but must not run (forced pure, or built from other sources)."""
        return bool(self.built_files()) and (self.forced_pure() or not self.is_current())

    def load(self, module: str) -> bool:
        """Import ``<package>.<module>`` with the compiled modules where they may run, else from the
        sources; return whether the compiled modules are in use (the package's ``COMPILED``)."""
        sources = self.must_use_sources()
        if sources:
            sys.meta_path.insert(0, SourceFinder(self.package, self.directory))
        try:
            importlib.import_module(f"{self.package}.{module}")
        except ImportError:
            if sources:
                raise
            # a compiled module that does not load here (another interpreter build, a damaged file):
            # forget what was imported of this package and import the sources instead
            for name in [n for n in sys.modules if n.startswith(self.package + ".") and n != __name__]:
                del sys.modules[name]
            sys.meta_path.insert(0, SourceFinder(self.package, self.directory))
            importlib.import_module(f"{self.package}.{module}")
        return self.compiled_in_use()

    def compiled_in_use(self) -> bool:
        """Whether the package's modules imported so far are the compiled ones."""
        loaded = [sys.modules.get(f"{self.package}.{m}") for m in self.modules]
        files = [str(getattr(m, "__file__", "")) for m in loaded if m is not None]
        return bool(files) and all(f.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)) for f in files)


class SourceFinder(importlib.abc.MetaPathFinder):
    """Finds ``<package>.<module>`` as its ``.py`` source even where a compiled module exists."""

    def __init__(self, package: str, directory: Path) -> None:
        self.package = package
        self.directory = directory

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        """The source module's spec for a module of this package, else None."""
        pkg, _, mod = name.rpartition(".")
        src = self.directory / f"{mod}.py"
        if pkg != self.package or not src.is_file():
            return None
        return importlib.util.spec_from_file_location(name, src)
