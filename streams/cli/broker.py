"""``casualty broker start|stop|status|logs``: the embedded local Kafka broker."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from streams.local import broker as lb

state_dir_option = click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the broker's pid, data and logs [default: ~/.cache/casualty-stream/kafka].",
)


def _state(state_dir: Path | None) -> Path:
    return (state_dir or lb.default_state_dir()).expanduser().resolve()


@click.group()
def broker() -> None:
    """Run the embedded local Kafka 4 broker (KRaft, one node, from Maven jars).

    \b
    Examples:
      casualty broker start                    # 127.0.0.1:9092, state in ~/.cache/casualty-stream/kafka
      casualty broker start --port 19092 --controller-port 19093 --state-dir /tmp/k --fresh
      casualty broker status; casualty broker logs; casualty broker stop
    """


@broker.command()
@click.option("--port", type=int, default=lb.DEFAULT_PORT, show_default=True, help="Client (PLAINTEXT) port.")
@click.option("--controller-port", type=int, default=lb.DEFAULT_CONTROLLER_PORT, show_default=True)
@state_dir_option
@click.option("--fresh", is_flag=True, help="Wipe topics and offsets before starting.")
@click.option("--heap", default=lb.DEFAULT_HEAP, show_default=True, help="JVM heap size.")
def start(port: int, controller_port: int, state_dir: Path | None, fresh: bool, heap: str) -> None:
    """Start the broker on 127.0.0.1 and wait until it answers; print the bootstrap address.

    \b
    Example:
      export KAFKA_BOOTSTRAP=$(casualty broker start --port 19092 --controller-port 19093)
    """
    config = lb.BrokerConfig(state_dir=_state(state_dir), port=port, controller_port=controller_port, heap=heap)
    try:
        bootstrap, started = lb.start(config, fresh=fresh)
    except lb.BrokerError as exc:
        raise click.ClickException(str(exc)) from exc
    if not started:
        click.echo(f"broker already running at {bootstrap} (state: {config.state_dir})", err=True)
    click.echo(bootstrap)


@broker.command()
@state_dir_option
def stop(state_dir: Path | None) -> None:
    """Stop the broker (SIGTERM, then SIGKILL after 30 s).

    \b
    Example:
      casualty broker stop --state-dir /tmp/k
    """
    if lb.stop(_state(state_dir)):
        click.echo("broker stopped")
    else:
        click.echo("no broker running", err=True)


@broker.command()
@state_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(state_dir: Path | None, as_json: bool) -> None:
    """Say whether the broker runs and answers; exit 1 when it does not run.

    \b
    Example:
      casualty broker status || casualty broker start
    """
    info = lb.status(_state(state_dir))
    if as_json:
        import orjson

        click.echo(orjson.dumps(info).decode())
    elif info["running"]:
        answer = "answers metadata requests" if info["answers"] else "does not answer yet"
        click.echo(f"running: pid {info['pid']} at {info['bootstrap']}, {answer}")
    else:
        click.echo(f"not running (state: {info['state_dir']})")
    sys.exit(0 if info["running"] else 1)


@broker.command()
@state_dir_option
@click.option("-n", "--lines", type=int, default=50, show_default=True)
@click.option("-f", "--follow", is_flag=True, help="Keep printing new lines.")
def logs(state_dir: Path | None, lines: int, follow: bool) -> None:
    """Print the broker's server log.

    \b
    Example:
      casualty broker logs --lines 200 | grep ERROR
    """
    state = _state(state_dir)
    click.echo(lb.tail_logs(state, lines))
    if not follow:
        return
    path = state / "logs" / "server.log"
    with open(path, errors="replace") as handle:
        handle.seek(0, 2)
        try:
            while True:
                line = handle.readline()
                if line:
                    click.echo(line, nl=False)
                else:
                    time.sleep(0.5)
        except KeyboardInterrupt:
            pass
