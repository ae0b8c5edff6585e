"""What a newcomer reads first (issue 18): an example in every command's help, -b/-t short options,
and ``casualty --version``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from streams.cli.main import SUBCOMMANDS, cli
from streams.cli.version import package_version


def help_of(*args: str) -> str:
    result = CliRunner(mix_stderr=False).invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_every_command_shows_an_example(command: str) -> None:
    text = help_of(command)
    assert "Example" in text
    assert f"casualty {command}" in text.split("Example", 1)[1]


def test_the_top_level_help_shows_examples_and_version() -> None:
    assert "casualty demo --once" in help_of()
    result = CliRunner(mix_stderr=False).invoke(cli, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"casualty-stream {package_version()}\n")


@pytest.mark.parametrize("command", ["worker", "feed", "subscribe", "tables", "demo"])
def test_b_is_short_for_bootstrap(command: str) -> None:
    assert "-b, --bootstrap" in help_of(command)


def test_t_is_short_for_topic() -> None:
    assert "-t, --topic" in help_of("feed")
