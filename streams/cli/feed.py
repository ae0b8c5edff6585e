"""``casualty feed``: publish articles from files, folders, stdin or RSS/Atom feeds.

Exit status: 0 when every item was sent, 1 when some item was skipped (bad input) or could not
be delivered, 2 for a usage error, 3 when Kafka cannot be reached or refuses the login.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from streams.cli.client_options import kafka_options, settings_from
from streams.clients.connect import KafkaUnavailable
from streams.feed import FeedOptions, Reporter, default_state_path, run_feed

EXIT_UNAVAILABLE = 3


@click.command()
@click.argument("targets", nargs=-1, metavar="[PATH|URL|-]...")
@kafka_options
@click.option("--topic", help="Destination topic, as given [default: <topic prefix>articles].")
@click.option("--rate", type=click.FloatRange(min=0, min_open=True), help="At most this many articles per second.")
@click.option("--follow", is_flag=True, help="Keep polling the RSS/Atom feeds every --interval seconds.")
@click.option("--interval", type=click.FloatRange(min=1), default=300.0, show_default=True,
              help="Seconds between two polls of the feeds with --follow.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False, path_type=Path),
              help="File remembering the feed entries already sent "
                   "[env CASUALTY_FEED_STATE; default ~/.cache/casualty-stream/feed-state.json].")
@click.option("--raw", is_flag=True, help="Send each JSON line or JSON file as it is, unvalidated and without key.")
def feed(targets: tuple[str, ...], topic: str | None, rate: float | None, follow: bool, interval: float,
         state_path: Path | None, raw: bool, **flags: object) -> None:
    """Publish articles to the articles topic, keyed by article id.

    TARGETS are files (.json: one article or an array; .jsonl: one per line; .txt: the body of one
    article), folders (read recursively), RSS/Atom feeds (.xml/.rss/.atom files, file:// or
    http(s):// URLs) or - for JSON lines on stdin (also the default without targets). Feed entries
    are remembered in the --state file, so polling again never sends an entry twice.

    A bad item is reported as FILE:LINE: REASON and skipped. Exit status: 0 all sent, 1 some
    skipped or failed, 2 usage error, 3 Kafka unreachable or login refused.
    """
    settings = settings_from(dict(flags))
    options = FeedOptions(
        topic=topic or settings.articles_topic, rate=rate, raw=raw, follow=follow, interval=interval,
        state_path=state_path or default_state_path(), max_bytes=settings.max_body_bytes,
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
