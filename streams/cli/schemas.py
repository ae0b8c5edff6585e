"""``casualty schemas``: generate or check the published JSON Schemas and AsyncAPI document."""

from __future__ import annotations

from pathlib import Path

import click

from schemas.published import SCHEMAS_DIR, drifted_files, write_published

_OUT_HELP = "Directory to write into (default: the schemas package, where the files are committed)."


@click.group(name="schemas")
def schemas() -> None:
    """Generate or check the published JSON Schemas and AsyncAPI document.

    \b
    Examples:
      casualty schemas check                   # exit 1 when a committed file is out of date
      casualty schemas generate                # after changing schemas/records.py
      casualty schemas generate --out /tmp/schemas
    """


@schemas.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=SCHEMAS_DIR,
              show_default=False, help=_OUT_HELP)
def generate(out_dir: Path) -> None:
    """Write json/<record>.schema.json and asyncapi.yaml from the code.

    \b
    Example:
      casualty schemas generate --out /tmp/schemas
    """
    for path in write_published(out_dir):
        click.echo(f"wrote {path}")


@schemas.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=SCHEMAS_DIR,
              show_default=False, help="Directory holding the files to check (default: the schemas package).")
def check(out_dir: Path) -> None:
    """Exit 1 when a committed file differs from what the code generates.

    \b
    Example:
      casualty schemas check
    """
    drifted = drifted_files(out_dir)
    if drifted:
        for relative in drifted:
            click.echo(f"out of date: {out_dir / relative}", err=True)
        click.echo("run `casualty schemas generate` and commit the result", err=True)
        raise SystemExit(1)
    click.echo("schemas are up to date")
