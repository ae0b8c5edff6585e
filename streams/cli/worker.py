"""``casualty worker``: create the topics, then run the Faust worker of :mod:`streams.worker.app`.

Our flags set the environment that :class:`streams.config.Settings` reads; every other option
is passed to ``faust -A streams.worker.app worker`` unchanged (e.g. ``--without-web``).

Before Faust starts, the things a person gets wrong are checked and reported in one line each,
with an exit status of their own: 2 unusable settings (e.g. ``--bootstrap 127.0.0.1:abc``), 3 no
Kafka broker answers (after ``--broker-wait`` seconds), 4 the web port is taken. When the worker
then fails to start, the topics this run created are deleted again if they are still empty.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

import click

from streams.config import SETTINGS_DOC, WORKER_FLAGS, Settings

EXIT_UNAVAILABLE = 3
EXIT_WEB_PORT = 4


def _help(name: str) -> str:
    var, default, meaning = SETTINGS_DOC[name]
    return f"{meaning} [env {var}; default {default or '(empty)'}]"


def check_web_port(host: str, port: int) -> str | None:
    """Why the web server could not listen on ``host:port`` (one line), or None when it can."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return (f"web port {host}:{port} is already in use (another worker?): "
                    "choose another with --web-port or CASUALTY_WEB_PORT")
        return f"cannot listen on {host}:{port} for the web API: {exc.strerror or exc}"
    return None


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option("-b", "--bootstrap", metavar="HOST:PORT", help=_help("bootstrap"))
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
@click.option("--count-suspect", is_flag=True, default=None, help=_help("count_suspect"))
@click.option("--broker-wait", type=click.FloatRange(min=0), default=10.0, show_default=True,
              help="Seconds to wait for a Kafka broker to answer before giving up (exit status 3).")
@click.option("-l", "--loglevel", default="warn", show_default=True,
              type=click.Choice(["crit", "error", "warn", "info", "debug"]), help="Faust log level.")
@click.pass_context
def worker(ctx: click.Context, loglevel: str, broker_wait: float, **flags: object) -> None:
    """Run the stream worker: articles -> incidents -> per-region tables, web API and /metrics.

    Creates the topics first. Exit status: 2 unusable settings, 3 no Kafka broker answers,
    4 the web port is taken.

    \b
    Examples:
      casualty worker                                   # localhost:9092, web on 127.0.0.1:6066
      casualty worker -b kafka:9092 --web-port 6067 --processing-guarantee exactly_once
      casualty worker --count-suspect                   # count suspect incidents in the tables too
    """
    for name in WORKER_FLAGS:
        value = flags.get(name)
        if value is not None and value is not False:
            os.environ[SETTINGS_DOC[name][0]] = str(value)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if "--without-web" not in ctx.args:
        problem = check_web_port(settings.web_host, settings.web_port)
        if problem:
            click.echo(f"error: {problem}", err=True)
            sys.exit(EXIT_WEB_PORT)
    from streams.clients.admin import ensure_topics
    from streams.clients.connect import KafkaUnavailable, quiet_library_logs

    quiet_library_logs()

    def waiting(reason: str) -> None:
        click.echo(f"worker: no Kafka broker answers at {settings.bootstrap} yet; waiting up to {broker_wait:g}s "
                   "(--broker-wait)", err=True)

    try:
        setup = ensure_topics(settings, timeout=broker_wait, on_wait=waiting)
    except KafkaUnavailable as exc:  # already one line naming the broker and what to check
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNAVAILABLE)
    except Exception as exc:
        click.echo(f"error: cannot create the topics at {settings.bootstrap}: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_UNAVAILABLE)
    created = setup.created
    # The Faust app (loaded below, in this process) sees the factor the topics were created with.
    os.environ[SETTINGS_DOC["replication_factor"][0]] = str(setup.replication_factor)
    if created:
        click.echo(f"created topics: {', '.join(created)}", err=True)
    if setup.under_replicated:
        click.echo(f"warning: topics with fewer than {setup.replication_factor} replicas (created earlier, left "
                   f"as they are): {', '.join(setup.under_replicated)}", err=True)
    min_isr = setup.cluster.min_insync_replicas or "unknown"
    click.echo(
        f"worker {settings.app_id} on {settings.bootstrap}: web http://{settings.web_host}:{settings.web_port}/ "
        f"({settings.processing_guarantee}, store {settings.store}, replication {setup.replication_factor} "
        f"on {setup.cluster.brokers} brokers, min.insync.replicas {min_isr}"
        f"{', suspect incidents counted' if settings.count_suspect else ''})",
        err=True,
    )
    from faust.cli.faust import cli as faust_cli

    args = ["-A", "streams.worker.app", "--datadir", str(settings.data_dir), "worker", "-l", loglevel,
            "--web-bind", settings.web_host, "--web-host", settings.web_host,
            "--web-port", str(settings.web_port), *ctx.args]
    # Faust's CLI also reads sys.argv itself (to find the app before parsing): left as it was,
    # our own --app-id looked like its --app option and it tried to import a module of that name.
    sys.argv[:] = ["casualty worker", *args]
    try:
        faust_cli.main(args=args, prog_name="casualty worker", standalone_mode=True)
    except SystemExit as exc:
        if exc.code not in (0, None) and created:
            _clean_up(settings, created)
        raise


def _clean_up(settings: Settings, created: list[str]) -> None:
    """After a failed start: delete the topics this run created while they are still empty."""
    from streams.clients.admin import delete_if_empty

    try:
        deleted = delete_if_empty(settings, created)
    except Exception as exc:  # cleaning up must not hide why the worker stopped
        click.echo(f"worker: could not delete the topics this run created: {exc}", err=True)
        return
    if deleted:
        click.echo(f"worker: deleted the {len(created)} empty topics this run created", err=True)
    else:
        click.echo(f"worker: kept the topics this run created (they hold data): {', '.join(created)}", err=True)
