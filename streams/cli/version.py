"""``casualty version``."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version

import click


def package_version() -> str:
    """The installed version of the ``casualty-stream`` distribution."""
    try:
        return dist_version("casualty-stream")
    except PackageNotFoundError:
        return "0.0.0+unknown"


@click.command()
def version() -> None:
    """Print the version of casualty-stream (also `casualty --version`).

    \b
    Example:
      casualty version
    """
    click.echo(f"casualty-stream {package_version()}")
