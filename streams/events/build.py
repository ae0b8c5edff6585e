"""Build the optional compiled event resolution: the resolver's modules compiled with mypyc, in place.

    python -m streams.events.build            # build (skipped when the build is current)
    python -m streams.events.build --force    # rebuild
    python -m streams.events.build --clean    # remove the compiled modules (pure Python again)

The same scheme as the extractor's (:mod:`extractors.compile`): mypyc turns the modules of
:data:`streams.events.compiled.MODULES` into C extension modules next to their sources (plus
``_native__mypyc.*.so`` holding the code), which Python then imports instead. It is optional and
safe:

* any failure (no mypyc, no C compiler, a type error) leaves no compiled module behind, prints
  why, and the pure-Python modules are used;
* a new build is kept only if it resolves exactly the same event changes (every version as JSON,
  with its delta, and every skipped incident) as the pure-Python modules on generated feeds;
* ``streams/events/_native.stamp`` records a hash of every compiled source: when a source no
  longer matches, the pure-Python modules are imported instead; ``CASUALTY_EVENTS_PURE=1`` forces
  them too.

``scripts/setup.sh`` runs this after the extractor's build; the artefacts are git-ignored.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from streams.events.compiled import (
    MODULES,
    PACKAGE_DIR,
    PURE_ENV,
    STAMP,
    built_files,
    is_current,
    source_hashes,
    stamp_text,
)

ROOT = PACKAGE_DIR.parent.parent
GROUP = "streams.events._native"
"""mypyc group: one shared library for all modules, so calls between them stay native."""


def clean() -> None:
    """Remove every compiled module and the stamp."""
    for p in built_files():
        p.unlink()
    STAMP.unlink(missing_ok=True)


# Resolves generated feeds (dense and sparse, in date order and at random) and prints every
# change and skip as JSON: run once with the pure-Python modules and once with the new build.
_CHECK = """
import orjson
import streams.events
from bench.generator import generate
from extractors import extract
from schemas.codec import dumps
from schemas.records import Article
from streams.events import Resolver
out = [str(streams.events.COMPILED)]
for n, days, ordered in ((600, 3, True), (600, 10, False), (300, 60, True)):
    articles = [Article.model_validate(a.article) for a in generate(n, seed=7, days=days)]
    if ordered:
        articles.sort(key=lambda a: str(a.published))
    resolver = Resolver()
    for article in articles:
        incidents = extract(article).incidents
        for _ in range(2):  # the second pass: every id a duplicate
            res = resolver.resolve(incidents)
            for change in res.changes:
                out.append(dumps(change.event).decode() + " " + orjson.dumps(list(change.delta)).decode())
            out.extend(f"skip {s.incident_id} {s.reason} {s.event_id}" for s in res.skipped)
    out.extend(dumps(e).decode() for e in resolver.open_events())
print("\\n".join(out))
"""


def _resolve_all(pure: bool) -> list[str]:
    env = dict(os.environ)
    env.pop(PURE_ENV, None)
    if pure:
        env[PURE_ENV] = "1"
    proc = subprocess.run([sys.executable, "-c", _CHECK], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
    return proc.stdout.splitlines()


def build(quiet: bool = False) -> None:
    """Compile :data:`MODULES` with mypyc into a temporary folder, then copy the extension modules
    into the package. Raises on any failure (the caller cleans up)."""
    from mypyc.build import mypycify
    from setuptools import Distribution  # type: ignore[import-untyped,unused-ignore]

    with tempfile.TemporaryDirectory(prefix="events-mypyc-") as tmp:
        cwd = Path.cwd()
        os.chdir(ROOT)  # mypyc names modules after paths relative to the working directory
        try:
            exts = mypycify([f"streams/events/{m}.py" for m in MODULES], opt_level="3", group_name=GROUP,
                            target_dir=str(Path(tmp) / "c"), verbose=not quiet)
            dist = Distribution({"name": "events-native", "ext_modules": exts})
            cmd = dist.get_command_obj("build_ext")
            cmd.build_lib = str(Path(tmp) / "lib")  # type: ignore[attr-defined]
            cmd.build_temp = str(Path(tmp) / "obj")  # type: ignore[attr-defined]
            cmd.inplace = False  # type: ignore[attr-defined]
            dist.verbose = not quiet  # type: ignore[attr-defined]
            dist.run_command("build_ext")
        finally:
            os.chdir(cwd)
        built = sorted((Path(tmp) / "lib" / "streams" / "events").glob("*.so"))
        if len(built) != len(MODULES) + 1:
            raise RuntimeError(f"expected {len(MODULES) + 1} extension modules, got {len(built)}")
        for so in built:
            shutil.copy2(so, PACKAGE_DIR / so.name)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: 0 when the compiled modules are in place, 1 when the pure-Python ones are used."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="rebuild even when the build is current")
    ap.add_argument("--clean", action="store_true", help="remove the compiled modules and exit")
    ap.add_argument("--verbose", action="store_true", help="show the compiler's output")
    args = ap.parse_args(argv)
    if args.clean:
        clean()
        print("events: compiled modules removed; the pure-Python modules are used")
        return 0
    if is_current() and not args.force:
        print("events: compiled modules are current")
        return 0
    clean()
    try:
        expected = _resolve_all(pure=True)
        # (in a child process: the compiler's output is shown only on failure or with --verbose)
        proc = subprocess.run([sys.executable, "-c", "from streams.events.build import build; build()"], cwd=ROOT,
                              capture_output=not args.verbose, text=True)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-3:]
            raise RuntimeError("mypyc build failed: " + " | ".join(tail))
        STAMP.write_text(stamp_text(source_hashes()))
        got = _resolve_all(pure=False)
        if got[0] != "True":
            raise RuntimeError("the compiled modules were built but are not imported")
        if got[1:] != expected[1:]:
            raise RuntimeError("the compiled modules resolve other events than the pure-Python ones")
    except Exception as exc:  # optional build: any failure means "use the pure-Python modules"
        clean()
        detail = exc.stderr.strip().splitlines()[-1:] if isinstance(exc, subprocess.CalledProcessError) else []
        print(f"events: compiled build not used ({type(exc).__name__}: {exc} {' '.join(detail)}); "
              "the pure-Python modules are used", file=sys.stderr)
        return 1
    print(f"events: {len(MODULES)} modules compiled with mypyc (same changes as pure Python on "
          f"{len(expected) - 1} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
