"""``casualty worker``: create the topics, then run the Faust worker of :mod:`streams.worker.app`.

Our flags set the environment that :class:`streams.config.Settings` reads; every other option
is passed to ``faust -A streams.worker.app worker`` unchanged (e.g. ``-l info``, ``--without-web``).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from streams.config import SETTINGS_DOC, WORKER_FLAGS, Settings


def _help(name: str) -> str:
    var, default, meaning = SETTINGS_DOC[name]
    return f"{meaning} [env {var}; default {default or '(empty)'}]"


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("--bootstrap", help=_help("bootstrap"))
@click.option("--app-id", help=_help("app_id"))
@click.option("--topic-prefix", help=_help("topic_prefix"))
@click.option("--partitions", type=int, help=_help("partitions"))
@click.option("--replication-factor", type=click.IntRange(min=1), help=_help("replication_factor"))
@click.option("--store", help=_help("store"))
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), help=_help("data_dir"))
@click.option("--web-host", help=_help("web_host"))
@click.option("--web-port", type=int, help=_help("web_port"))
@click.option("--processing-guarantee", type=click.Choice(["at_least_once", "exactly_once"]),
              help=_help("processing_guarantee"))
@click.option("--max-body-bytes", type=int, help=_help("max_body_bytes"))
@click.option("-l", "--loglevel", default="warn", show_default=True,
              type=click.Choice(["crit", "error", "warn", "info", "debug"]), help="Faust log level.")
@click.pass_context
def worker(ctx: click.Context, loglevel: str, **flags: object) -> None:
    """Run the stream worker: articles -> incidents -> per-region tables, web API and /metrics."""
    for name in WORKER_FLAGS:
        value = flags.get(name)
        if value is not None:
            os.environ[SETTINGS_DOC[name][0]] = str(value)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    from streams.clients.admin import ensure_topics
    from streams.clients.connect import KafkaUnavailable

    try:
        setup = ensure_topics(settings)
    except KafkaUnavailable as exc:  # already one line naming the broker and what to check
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:
        raise click.ClickException(
            f"cannot reach Kafka at {settings.bootstrap} to create topics: {type(exc).__name__}: {exc}"
        ) from exc
    # The Faust app (loaded below, in this process) sees the factor the topics were created with.
    os.environ[SETTINGS_DOC["replication_factor"][0]] = str(setup.replication_factor)
    if setup.created:
        click.echo(f"created topics: {', '.join(setup.created)}", err=True)
    if setup.under_replicated:
        click.echo(f"warning: topics with fewer than {setup.replication_factor} replicas (created earlier, left "
                   f"as they are): {', '.join(setup.under_replicated)}", err=True)
    min_isr = setup.cluster.min_insync_replicas or "unknown"
    click.echo(
        f"worker {settings.app_id} on {settings.bootstrap}: web http://{settings.web_host}:{settings.web_port}/ "
        f"({settings.processing_guarantee}, store {settings.store}, replication {setup.replication_factor} "
        f"on {setup.cluster.brokers} brokers, min.insync.replicas {min_isr})",
        err=True,
    )
    from faust.cli.faust import cli as faust_cli

    args = ["-A", "streams.worker.app", "--datadir", str(settings.data_dir), "worker", "-l", loglevel,
            "--web-bind", settings.web_host, "--web-host", settings.web_host,
            "--web-port", str(settings.web_port), *ctx.args]
    faust_cli.main(args=args, prog_name="casualty worker", standalone_mode=True)
