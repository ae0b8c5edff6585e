"""``casualty subscribe``: follow one of the output topics and print its records."""

from __future__ import annotations

import sys

import click
import orjson

from streams.cli.client_options import kafka_options, settings_from
from streams.clients.connect import KafkaUnavailable
from streams.clients.subscribe import (
    KINDS,
    Filters,
    SubscribeError,
    format_row,
    header,
    open_subscription,
    receive,
    topic_for,
    with_key,
)
from streams.regions import UnknownRegion, normalise_code

EXIT_UNAVAILABLE = 3


@click.command()
@click.argument("kind", type=click.Choice(list(KINDS)))
@kafka_options
@click.option("--from-beginning", is_flag=True, help="Start at the oldest record instead of now.")
@click.option("--group", metavar="NAME", help="Join this consumer group (commits offsets) instead of reading alone.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line.")
@click.option("--region", metavar="CODE",
              help="Only this region (ISO 3166-2 code in any case, or 'unknown'; incidents, tallies, events).")
@click.option("--min-killed", type=click.IntRange(min=0), help="Only records with at least this many killed.")
@click.option("--max-messages", type=click.IntRange(min=1), help="Exit after printing this many records.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              help="Exit after this many seconds without a new message.")
def subscribe(kind: str, from_beginning: bool, group: str | None, as_json: bool, region: str | None,
              min_killed: int | None, max_messages: int | None, timeout: float | None, **flags: object) -> None:
    """Print the records of KIND (articles, incidents, tallies, events, summaries or dead-letters) as they arrive.

    ``events`` is compacted and keyed by event id: each change of an event is a new version of it
    (the latest one wins), shown with every report and the figures that report gave.

    Exit status: 0 on Ctrl-C, on --timeout, or after --max-messages records; 1 when --timeout ends
    the run before --max-messages records were printed; 2 for a usage error or an unknown region;
    3 when Kafka cannot be reached.

    \b
    Examples:
      casualty subscribe incidents --region iq-bg --min-killed 5
      casualty subscribe dead-letters --from-beginning --max-messages 20 --timeout 5
      casualty subscribe tallies --json -b kafka:9092 | jq .
      casualty subscribe events --from-beginning --region IQ-BG --timeout 5
    """
    if region is not None:
        try:
            region = normalise_code(region)
        except UnknownRegion as exc:
            raise click.UsageError(str(exc)) from exc
    settings = settings_from(dict(flags))
    filters = Filters(region=region, min_killed=min_killed)
    try:
        filters.check(kind)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    topic = topic_for(settings, kind)
    try:
        consumer = open_subscription(settings, topic, from_beginning=from_beginning, group=group)
    except KafkaUnavailable as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNAVAILABLE)
    except SubscribeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNAVAILABLE)
    printed = 0
    out = sys.stdout
    try:
        if not as_json:
            out.write(header(kind) + "\n")
            out.flush()
        for received in receive(consumer, idle_timeout=timeout):
            if received.record is None:
                click.echo(f"{topic}[{received.partition}]@{received.offset}: skipped, {received.error}", err=True)
                continue
            if not filters.matches(kind, received.record):
                continue
            line = orjson.dumps(received.record).decode() if as_json else format_row(
                kind, with_key(received.record, received.key))
            out.write(line + "\n")
            out.flush()
            printed += 1
            if max_messages is not None and printed >= max_messages:
                break
    except KeyboardInterrupt:
        pass
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
    finally:
        consumer.close()
    if max_messages is not None and printed < max_messages and timeout is not None:
        click.echo(f"subscribe: {printed} of {max_messages} records before the {timeout:g}s timeout", err=True)
        sys.exit(1)
