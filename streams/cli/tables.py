"""``casualty tables``: the current per-region casualty table, from a worker or the tallies topic."""

from __future__ import annotations

import sys

import click
import orjson
from rich.console import Console

from streams.cli.client_options import kafka_options, settings_from
from streams.clients.connect import KafkaUnavailable
from streams.clients.tallies import (
    Row,
    SourceUnavailable,
    daily_from_web,
    daily_rows,
    default_url,
    named,
    read_tallies,
    running_rows,
    table_from_web,
    to_csv,
    to_json,
    to_rich,
)
from streams.config import Settings
from streams.regions import UnknownRegion, normalise_code

EXIT_UNAVAILABLE = 3


@click.command()
@kafka_options
@click.option("--url", metavar="URL",
              help="The worker's web address [default: http://127.0.0.1:$CASUALTY_WEB_PORT, port 6066].")
@click.option("--from-topic", is_flag=True, help="Read the compacted tallies topic instead of asking a worker.")
@click.option("--daily", "daily_region", metavar="REGION",
              help="Show one region's table day by day (ISO 3166-2 code in any case, e.g. iq-bg, or unknown).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: {regions, totals}.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a final totals line.")
def tables(url: str | None, from_topic: bool, daily_region: str | None, as_json: bool, as_csv: bool,
           **flags: object) -> None:
    """Print the per-region casualty table, sorted by killed, with a totals row.

    Asks the worker's web API; when no worker answers, reads the casualty-tallies topic instead
    (or always, with --from-topic). Suspect figures (held back by the articles' self-check) are
    shown in a column of their own. Exit status 2 for a usage error or an unknown region, 3 when
    neither the worker nor the topic can be read.

    \b
    Examples:
      casualty tables                          # ask the worker at 127.0.0.1:6066
      casualty tables --daily iq-bg --csv      # Baghdad day by day, as CSV
      casualty tables --from-topic -b kafka:9092 --json
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if daily_region is not None:
        try:
            daily_region = normalise_code(daily_region)
        except UnknownRegion as exc:
            raise click.UsageError(str(exc)) from exc
    settings = settings_from(dict(flags))
    url = url or default_url(settings)
    try:
        rows, source = _rows(settings, url, from_topic, daily_region)
    except (SourceUnavailable, KafkaUnavailable) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNAVAILABLE)
    rows = named(rows)
    if daily_region and not rows:
        click.echo(f"tables: no casualties recorded for region {daily_region} yet", err=True)
    if as_json:
        doc = to_json(rows)
        if daily_region:
            doc = {"region_code": daily_region, "daily": doc["regions"], "totals": doc["totals"]}
        click.echo(orjson.dumps(doc).decode())
    elif as_csv:
        click.echo(to_csv(rows), nl=False)
    else:
        title = f"{daily_region} by day ({source})" if daily_region else f"Casualties by region ({source})"
        console = Console(highlight=False)
        if not console.is_terminal:
            console = Console(highlight=False, width=120)  # pipes and logs: rows never wrap
        console.print(to_rich(rows, daily=bool(daily_region), title=title))


def _rows(settings: Settings, url: str, from_topic: bool, daily_region: str | None) -> tuple[list[Row], str]:
    """The rows to show and a label of where they came from."""
    if not from_topic:
        try:
            if daily_region:
                return daily_from_web(url, daily_region), url
            return table_from_web(url), url
        except SourceUnavailable as exc:
            click.echo(f"tables: {exc}; reading topic {settings.tallies_topic} at {settings.bootstrap}", err=True)
    tallies = read_tallies(settings)
    rows = daily_rows(tallies, daily_region) if daily_region else running_rows(tallies)
    return rows, f"topic {settings.tallies_topic}"
