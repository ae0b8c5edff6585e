"""Build a package's optional mypyc-compiled modules in place, kept only if they give the sources' output.

The build half of the optional mypyc build (:mod:`extractors.mypyc_runtime` decides at import time
whether the result runs). A package uses it from a small command module, e.g. ``extractors/compile.py``::

    BUILD = MypycBuild("extractors", check="extractors.compile:output_lines", unit="records")
    sys.exit(BUILD.main())    # python -m extractors.compile [--force | --clean | --verbose]

mypyc turns the modules of the package's ``NATIVE`` (its :class:`~extractors.mypyc_runtime.CompiledModules`)
into C extension modules (``<name>.cpython-*.so`` next to each ``<name>.py``, plus one
``_native__mypyc.*.so`` holding the code, so calls between them stay native); Python then imports
those instead of the sources. It is optional and safe:

* any failure (no mypy/mypyc, no C compiler, no Python headers, a type error) leaves no compiled
  module behind, prints why, and the pure-Python modules are used: everything works as before;
* a new build is kept only if the package's output check (a function returning lines, run in a
  child process once with the PURE variable set and once with the new build) gives exactly the
  same lines; otherwise it is removed;
* the stamp written after the build makes the package import its sources whenever a source no
  longer matches it (edited after the build), so a stale build never runs.

Generic: it knows a package only by its dotted name, whose ``__init__`` defines ``NATIVE`` and
``COMPILED``. ``scripts/setup.sh`` runs each package's command; the artefacts are git-ignored.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from extractors.mypyc_runtime import CompiledModules


def compiled_modules(package: str) -> CompiledModules:
    """The ``NATIVE`` description of a package that can be compiled."""
    native: CompiledModules = importlib.import_module(package).NATIVE
    return native


def print_output(package: str, check: str) -> None:
    """(Run in a child process.) Print whether the package runs compiled, then its check's lines."""
    module, _, function = check.partition(":")
    lines: list[str] = getattr(importlib.import_module(module), function)()
    print("\n".join([str(importlib.import_module(package).COMPILED), *lines]))


def build(package: str, quiet: bool = False) -> None:
    """Compile the package's modules with mypyc into a temporary folder, then copy the extension
    modules into the package. Raises on any failure (the caller cleans up)."""
    from mypyc.build import mypycify
    from setuptools import Distribution  # type: ignore[import-untyped,unused-ignore]

    native = compiled_modules(package)
    rel = Path(*package.split("."))
    with tempfile.TemporaryDirectory(prefix=f"{package}-mypyc-") as tmp:
        cwd = Path.cwd()
        os.chdir(native.root)  # mypyc names modules after paths relative to the working directory
        try:
            exts = mypycify([str(rel / f"{m}.py") for m in native.modules], opt_level="3",
                            group_name=f"{package}._native", target_dir=str(Path(tmp) / "c"), verbose=not quiet)
            dist = Distribution({"name": f"{package}-native", "ext_modules": exts})
            cmd = dist.get_command_obj("build_ext")
            cmd.build_lib = str(Path(tmp) / "lib")  # type: ignore[attr-defined]
            cmd.build_temp = str(Path(tmp) / "obj")  # type: ignore[attr-defined]
            cmd.inplace = False  # type: ignore[attr-defined]
            dist.verbose = not quiet  # type: ignore[attr-defined]
            dist.run_command("build_ext")
        finally:
            os.chdir(cwd)
        built = sorted((Path(tmp) / "lib" / rel).glob("*.so"))
        if len(built) != len(native.modules) + 1:
            raise RuntimeError(f"expected {len(native.modules) + 1} extension modules, got {len(built)}")
        for so in built:
            shutil.copy2(so, native.directory / so.name)


@dataclass(frozen=True)
class MypycBuild:
    """The optional mypyc build of one package and the output a new build must reproduce."""

    package: str
    """The package's dotted name; its ``__init__`` defines ``NATIVE`` and ``COMPILED``."""
    check: str
    """``"module:function"``: a function returning the lines (from a fixed input) that the compiled
    modules must give exactly as the sources do."""
    unit: str
    """What the check's lines are, for the messages ("records")."""

    @property
    def label(self) -> str:
        """The name the messages start with (the package's last part)."""
        return self.package.rpartition(".")[2]

    def clean(self) -> None:
        """Remove every compiled module and the stamp."""
        native = compiled_modules(self.package)
        for p in native.built_files():
            p.unlink()
        native.stamp.unlink(missing_ok=True)

    def output(self, pure: bool) -> list[str]:
        """Run the check in a child process, with the sources (``pure``) or with the package's current
        build: whether it ran compiled ("True"/"False"), then the check's lines."""
        native = compiled_modules(self.package)
        env = dict(os.environ)
        env.pop(native.pure_env, None)
        if pure:
            env[native.pure_env] = "1"
        code = f"from extractors.mypyc_build import print_output; print_output({self.package!r}, {self.check!r})"
        proc = subprocess.run([sys.executable, "-c", code], cwd=native.root, env=env, capture_output=True,
                              text=True, check=True)
        return proc.stdout.splitlines()

    def main(self, argv: list[str] | None = None) -> int:
        """CLI entry point: 0 when the compiled modules are in place, 1 when the pure-Python ones are used."""
        ap = argparse.ArgumentParser(description=f"Build the optional mypyc-compiled modules of {self.package}, "
                                                 "in place (see extractors/mypyc_build.py)")
        ap.add_argument("--force", action="store_true", help="rebuild even when the build is current")
        ap.add_argument("--clean", action="store_true", help="remove the compiled modules and exit")
        ap.add_argument("--verbose", action="store_true", help="show the compiler's output")
        args = ap.parse_args(argv)
        native = compiled_modules(self.package)
        if args.clean:
            self.clean()
            print(f"{self.label}: compiled modules removed; the pure-Python modules are used")
            return 0
        if native.is_current() and not args.force:
            print(f"{self.label}: compiled modules are current")
            return 0
        self.clean()
        try:
            expected = self.output(pure=True)
            # (in a child process: the compiler's output is shown only on failure or with --verbose)
            code = f"from extractors.mypyc_build import build; build({self.package!r})"
            proc = subprocess.run([sys.executable, "-c", code], cwd=native.root, capture_output=not args.verbose,
                                  text=True)
            if proc.returncode != 0:
                tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-3:]
                raise RuntimeError("mypyc build failed: " + " | ".join(tail))
            native.stamp.write_text(native.stamp_text(native.source_hashes()))
            got = self.output(pure=False)
            if got[0] != "True":
                raise RuntimeError("the compiled modules were built but are not imported")
            if got[1:] != expected[1:]:
                raise RuntimeError(f"the compiled modules give other {self.unit} than the pure-Python ones")
        except Exception as exc:  # optional build: any failure means "use the pure-Python modules"
            self.clean()
            detail = exc.stderr.strip().splitlines()[-1:] if isinstance(exc, subprocess.CalledProcessError) else []
            print(f"{self.label}: compiled build not used ({type(exc).__name__}: {exc} {' '.join(detail)}); "
                  "the pure-Python modules are used", file=sys.stderr)
            return 1
        print(f"{self.label}: {len(native.modules)} modules compiled with mypyc (same output as pure Python on "
              f"{len(expected) - 1} {self.unit})")
        return 0
