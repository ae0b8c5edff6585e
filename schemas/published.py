"""The published contract files, generated from code: JSON Schemas and the AsyncAPI document.

:func:`published_files` is the single list of what ``casualty schemas generate`` writes and
``casualty schemas check`` (and the drift test) compares.
"""

from __future__ import annotations

from pathlib import Path

from schemas.asyncapi import render_asyncapi
from schemas.jsonschema import record_schema_files

SCHEMAS_DIR = Path(__file__).resolve().parent
"""Where the committed files live: the ``schemas`` package directory."""


def published_files() -> dict[str, str]:
    """Relative path (``/``-separated) -> expected content of every generated file."""
    files = record_schema_files()
    files["asyncapi.yaml"] = render_asyncapi()
    return files


def write_published(out_dir: Path = SCHEMAS_DIR) -> list[Path]:
    """Write every generated file under ``out_dir`` and return the paths written."""
    written = []
    for relative, content in published_files().items():
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def drifted_files(out_dir: Path = SCHEMAS_DIR) -> list[str]:
    """Relative paths whose file under ``out_dir`` is missing or differs from what the code generates."""
    drifted = []
    for relative, content in published_files().items():
        path = out_dir / relative
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            drifted.append(relative)
    return drifted
