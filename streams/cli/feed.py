"""``casualty feed``: publish articles from files, folders, stdin or RSS/Atom feeds.

Exit status: 0 when every item was sent, 1 when some item was skipped (bad input) or could not
be delivered, 2 for a usage error, 3 when Kafka cannot be reached or refuses the login.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from streams.cli.client_options import kafka_options, settings_from
from streams.cli.input_options import defaults_from, input_options
from streams.clients.connect import KafkaUnavailable
from streams.feed import FeedOptions, Reporter, default_state_path, run_feed

EXIT_UNAVAILABLE = 3


@click.command()
@click.argument("targets", nargs=-1, metavar="[PATH|URL|-]...")
@kafka_options
@click.option("-t", "--topic", help="Destination topic, as given [default: <topic prefix>articles].")
@input_options
@click.option("--rate", type=click.FloatRange(min=0, min_open=True), help="At most this many articles per second.")
@click.option("--follow", is_flag=True, help="Keep polling the RSS/Atom feeds every --interval seconds.")
@click.option("--interval", type=click.FloatRange(min=1), default=300.0, show_default=True,
              help="Seconds between two polls of the feeds with --follow.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False, path_type=Path),
              help="File remembering the feed entries already sent "
                   "[env CASUALTY_FEED_STATE; default ~/.cache/casualty-stream/feed-state.json].")
@click.option("--max-body-bytes", type=click.IntRange(min=1),
              help="Largest article to send, in bytes; match the worker's --max-body-bytes "
                   "[env CASUALTY_MAX_BODY_BYTES; default 1048576].")
@click.option("--raw", is_flag=True, help="Send each JSON line or JSON file as it is, unvalidated and without key.")
def feed(targets: tuple[str, ...], topic: str | None, fmt: str, default_source: str | None,
         default_published: str | None, rate: float | None, follow: bool, interval: float,
         state_path: Path | None, max_body_bytes: int | None, raw: bool, **flags: object) -> None:
    """Publish articles to the articles topic, keyed by article id.

    TARGETS are files (.json: one article or an array; .jsonl: one per line; .txt: the body of one
    article, its id the file stem), folders (read recursively), RSS/Atom feeds (.xml/.rss/.atom
    files, file:// or http(s):// URLs) or - for stdin (also the default without targets): JSON
    lines, or plain text as the body of one article (see --format). `casualty extract` reads the
    same inputs. Feed entries are remembered in the --state file, so polling again never sends an
    entry twice (they are counted as "already sent").

    A bad item is reported as FILE:LINE: REASON [code] and skipped. Exit status: 0 all sent,
    1 some skipped or failed, 2 usage error, 3 Kafka unreachable or login refused.

    \b
    Examples:
      casualty feed streams/demo/articles/                  # a folder of .json files
      casualty feed -b kafka:9092 -t test.articles day.jsonl
      echo "A bomb killed two in Baquba." | casualty feed --source "Example Wire" --published 2026-03-02
      casualty feed --follow --interval 60 https://wire.example/iraq.rss
    """
    settings = settings_from(dict(flags))
    options = FeedOptions(
        topic=topic or settings.articles_topic, rate=rate, raw=raw, follow=follow, interval=interval,
        state_path=state_path or default_state_path(), max_bytes=max_body_bytes or settings.max_body_bytes,
        fmt=fmt, defaults=defaults_from(default_source, default_published),
    )
    with Reporter(sys.stderr) as reporter:
        try:
            counts = run_feed(targets, settings, options, reporter)
        except KafkaUnavailable as exc:
            reporter.show_summary = False
            reporter.note(f"error: {exc}")
            sys.exit(EXIT_UNAVAILABLE)
        except ValueError as exc:  # an unreadable state file
            reporter.show_summary = False
            reporter.note(f"error: {exc}")
            sys.exit(2)
    sys.exit(counts.exit_code)
