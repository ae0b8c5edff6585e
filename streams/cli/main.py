"""Entry point of the ``casualty`` command.

Subcommands live in their own modules under :mod:`streams.cli` and are imported only when
invoked, so ``casualty extract`` never pays for importing Faust and a broken optional
dependency only breaks the command that needs it.
"""

from __future__ import annotations

import importlib

import click

# name -> (module, attribute, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str, str]] = {
    "broker": ("streams.cli.broker", "broker", "Run the embedded local Kafka 4 broker."),
    "version": ("streams.cli.version", "version", "Print the version of casualty-stream."),
    "extract": ("streams.cli.extract", "extract", "Extract incidents from articles to JSON lines."),
    "resolve": ("streams.cli.resolve", "resolve", "Extract and resolve articles into events, as JSON lines."),
    "eval": ("streams.cli.evaluate", "evaluate", "Score the extractor on labelled articles."),
    "schemas": ("streams.cli.schemas", "schemas", "Generate or check the published JSON Schemas."),
    "worker": ("streams.cli.worker", "worker", "Run the stream worker (Faust)."),
    "feed": ("streams.cli.feed", "feed", "Publish articles from files, stdin or RSS/Atom feeds."),
    "subscribe": ("streams.cli.subscribe", "subscribe", "Follow an output topic."),
    "tables": ("streams.cli.tables", "tables", "Show the current per-region casualty table."),
    "demo": ("streams.cli.demo", "demo", "Run the whole system on sample articles."),
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = SUBCOMMANDS.get(cmd_name)
        if spec is None:
            return None
        module_name, attr, _ = spec
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        command: click.Command = getattr(module, attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUBCOMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from streams.cli.version import package_version

    click.echo(f"casualty-stream {package_version()}")
    ctx.exit()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Print the version and exit.")
def cli() -> None:
    """casualty-stream: live casualty incidents and tables from news wires.

    \b
    Examples:
      casualty demo --once                     # the whole system on sample articles
      casualty worker & casualty feed streams/demo/articles/ && casualty tables
      casualty extract report.txt              # no Kafka needed
    """


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="casualty")


if __name__ == "__main__":
    main()
