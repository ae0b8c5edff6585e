"""The embedded local broker: a real Apache Kafka 4 node in KRaft mode, run from Maven jars.

No Docker: ``deploy/kafka/pom.xml`` resolves the broker's classpath from Maven Central into
``deploy/kafka/lib`` (once), and this module formats KRaft storage, writes a one-node
``server.properties`` and runs ``kafka.Kafka`` with the machine's Java 17+.

Everything a broker owns lives under one *state folder*::

    <state>/server.properties   generated config (rewritten at each start)
    <state>/broker.json         port, controller port, pid, bootstrap address
    <state>/data/               KRaft metadata and topic logs (kept across restarts)
    <state>/logs/               server.log (Log4j2) and the JVM's stdout/stderr

The default state folder is ``$XDG_CACHE_HOME/casualty-stream/kafka`` (``~/.cache/...``),
overridable with ``--state-dir`` or ``CASUALTY_BROKER_STATE``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

REPO_ROOT = Path(__file__).resolve().parents[2]
KAFKA_PROJECT = Path(os.environ.get("CASUALTY_KAFKA_HOME", REPO_ROOT / "deploy" / "kafka"))
DEFAULT_PORT = 9092
DEFAULT_CONTROLLER_PORT = 9093
DEFAULT_HEAP = os.environ.get("CASUALTY_BROKER_HEAP", "512m")


class BrokerError(RuntimeError):
    """A local-broker operation failed; the message says what to do."""


def default_state_dir() -> Path:
    """Where the local broker keeps its state unless told otherwise."""
    env = os.environ.get("CASUALTY_BROKER_STATE")
    if env:
        return Path(env)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "casualty-stream" / "kafka"


FREE_PORT_RANGE: Final = (20000, 26000)
"""Where :func:`free_port` looks: below Linux's ephemeral range (32768-60999). A port the kernel
hands out for port 0 comes from that range, from which every outgoing connection also takes its
local port, so one can be taken between the choice and the broker's bind (a CI run lost a cluster
node so). Cluster test blocks use 26000-32000."""


def free_port() -> int:
    """An unused TCP port on 127.0.0.1 (for tests and side-by-side brokers), outside the
    ephemeral range (:data:`FREE_PORT_RANGE`); the kernel's choice if none is free there."""
    rnd = random.Random()
    for _ in range(100):
        port = rnd.randrange(*FREE_PORT_RANGE)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_tool(name: str, install_hint: str) -> str:
    """Path of an executable, or a one-line :class:`BrokerError` saying what to install."""
    path = shutil.which(name)
    if path is None:
        raise BrokerError(f"'{name}' was not found on PATH: install {install_hint}")
    return path


def lib_dir() -> Path:
    """Folder holding the broker's jars."""
    return Path(os.environ.get("CASUALTY_KAFKA_LIB", KAFKA_PROJECT / "lib"))


def ensure_jars(*, quiet: bool = True) -> Path:
    """Resolve the Kafka broker classpath with Maven, unless the same pom already did."""
    lib = lib_dir()
    pom = KAFKA_PROJECT / "pom.xml"
    stamp = lib / ".pom.sha256"
    digest = hashlib.sha256(pom.read_bytes()).hexdigest() if pom.exists() else ""
    if lib.is_dir() and stamp.exists() and stamp.read_text().strip() == digest:
        return lib
    if not pom.exists():
        raise BrokerError(f"no Kafka jars in {lib} and no {pom} to resolve them from")
    mvn = require_tool("mvn", "Maven 3.8+ (Debian: apt-get install maven)")
    require_tool("java", "a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)")
    if lib.exists():
        shutil.rmtree(lib)
    cmd = [mvn, "-B", "-f", str(pom), "dependency:copy-dependencies", f"-Dkafka.lib.dir={lib}"]
    if quiet:
        cmd.insert(1, "-q")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-20:]
        raise BrokerError("Maven could not resolve the Kafka jars:\n" + "\n".join(tail))
    stamp.write_text(digest + "\n")
    return lib


@dataclass(slots=True)
class BrokerConfig:
    """How to run one local broker."""

    state_dir: Path = field(default_factory=default_state_dir)
    port: int = DEFAULT_PORT
    controller_port: int = DEFAULT_CONTROLLER_PORT
    heap: str = DEFAULT_HEAP
    host: str = "127.0.0.1"
    # Extra listeners or settings (e.g. a SASL_PLAINTEXT listener for the security tests).
    extra_properties: Mapping[str, str] = field(default_factory=dict)
    # A node of a multi-node cluster (streams.local.cluster) sets these; one node keeps the defaults.
    node_id: int = 1
    quorum_voters: str = ""  # "<id>@<host>:<controller port>,..."; empty: this node alone
    replication_factor: int = 1  # default.replication.factor and the internal topics' factor
    min_insync_replicas: int = 1

    @property
    def bootstrap(self) -> str:
        """The PLAINTEXT bootstrap address clients use."""
        return f"{self.host}:{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.state_dir / "data"

    @property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def info_file(self) -> Path:
        return self.state_dir / "broker.json"

    def server_properties(self) -> str:
        """The KRaft configuration Faust needs: one node with RF 1 and min ISR 1 everywhere, unless
        this is a node of a cluster (its id, the quorum's voters, the cluster's replication)."""
        replicas, min_isr = str(self.replication_factor), str(self.min_insync_replicas)
        props: dict[str, str] = {
            "process.roles": "broker,controller",
            "node.id": str(self.node_id),
            "controller.quorum.voters": self.quorum_voters or f"{self.node_id}@{self.host}:{self.controller_port}",
            "listeners": f"PLAINTEXT://{self.host}:{self.port},CONTROLLER://{self.host}:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://{self.host}:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": str(self.data_dir),
            "num.partitions": "1",
            "default.replication.factor": replicas,
            "min.insync.replicas": min_isr,
            "offsets.topic.replication.factor": replicas,
            "offsets.topic.num.partitions": "8",
            "transaction.state.log.replication.factor": replicas,
            "transaction.state.log.min.isr": min_isr,
            "transaction.state.log.num.partitions": "8",
            "share.coordinator.state.topic.replication.factor": replicas,
            "share.coordinator.state.topic.min.isr": min_isr,
            "group.initial.rebalance.delay.ms": "0",
            "auto.create.topics.enable": "true",
            "log.retention.hours": "168",
            "log.segment.bytes": str(64 * 1024 * 1024),
            "log.cleaner.dedupe.buffer.size": str(8 * 1024 * 1024),
            "num.network.threads": "2",
            "num.io.threads": "2",
        }
        props.update(self.extra_properties)
        return "".join(f"{key}={value}\n" for key, value in props.items())


def _log4j_config(logs_dir: Path) -> str:
    # Properties format needs no YAML/JSON parser on the classpath.
    return f"""status = warn
appender.file.type = RollingFile
appender.file.name = FILE
appender.file.fileName = {logs_dir}/server.log
appender.file.filePattern = {logs_dir}/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
"""


def _java_command(config: BrokerConfig, main_class: str, *args: str) -> list[str]:
    java = require_tool("java", "a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)")
    classpath = f"{ensure_jars()}/*"
    return [
        java,
        f"-Xms{config.heap}",
        f"-Xmx{config.heap}",
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={config.state_dir / 'log4j2.properties'}",
        f"-Dkafka.logs.dir={config.logs_dir}",
        "-cp",
        classpath,
        main_class,
        *args,
    ]


def read_info(state_dir: Path) -> dict[str, object]:
    """What the last ``start`` recorded about the broker of this state folder."""
    info_file = state_dir / "broker.json"
    if not info_file.exists():
        return {}
    try:
        data = json.loads(info_file.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _is_our_broker(pid: int, state_dir: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return "kafka.Kafka" in cmdline and str(state_dir) in cmdline


def running_pid(state_dir: Path) -> int | None:
    """The pid of this state folder's broker if it is alive, else None."""
    pid = read_info(state_dir).get("pid")
    if isinstance(pid, int) and _is_our_broker(pid, state_dir):
        return pid
    return None


def answers_metadata(bootstrap: str, timeout: float = 5.0) -> bool:
    """True when a Kafka metadata request to ``bootstrap`` succeeds."""
    from kafka import KafkaConsumer
    from kafka.errors import KafkaError

    try:
        consumer = KafkaConsumer(
            bootstrap_servers=bootstrap,
            request_timeout_ms=int(timeout * 1000) + 1000,
            api_version_auto_timeout_ms=int(timeout * 1000),
            metadata_max_age_ms=1000,
        )
    except (KafkaError, OSError, ValueError):
        return False
    try:
        consumer.topics()
        return True
    except (KafkaError, OSError):
        return False
    finally:
        consumer.close()


def format_storage(config: BrokerConfig, cluster_id: str | None = None) -> None:
    """Format KRaft storage for a combined node (first start only); the nodes of one cluster share
    ``cluster_id`` (a new random one when None)."""
    if (config.data_dir / "meta.properties").exists():
        return
    config.data_dir.mkdir(parents=True, exist_ok=True)
    cluster_id = cluster_id or random_cluster_id()
    cmd = _java_command(
        config,
        "kafka.tools.StorageTool",
        "format",
        "-t",
        cluster_id,
        "-c",
        str(config.state_dir / "server.properties"),
        "--ignore-formatted",
    )
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BrokerError("formatting KRaft storage failed:\n" + (proc.stdout + proc.stderr).strip())


def random_cluster_id() -> str:
    """A new KRaft cluster id."""
    # Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. Like Kafka's own
    # Uuid.randomUuid(), never one starting with "-": the storage tool would read it as an option
    # (1 start in 64 failed with "argument --cluster-id/-t: expected one argument").
    import base64

    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def start(config: BrokerConfig, *, fresh: bool = False, timeout: float = 90.0) -> tuple[str, bool]:
    """Start the broker unless it runs already; returns (bootstrap, started_now)."""
    state = config.state_dir
    if (state / "cluster.json").exists():  # streams.local.cluster's record: not a one-node folder
        raise BrokerError(f"{state} holds a multi-node cluster: start it with `casualty broker start --state-dir "
                          f"{state}`, or use another state folder")
    pid = running_pid(state)
    if pid is not None:
        info = read_info(state)
        return str(info.get("bootstrap", config.bootstrap)), False
    if fresh and config.data_dir.exists():
        shutil.rmtree(config.data_dir)
    proc = launch(config)
    wait_answers(config, proc, timeout)
    return config.bootstrap, True


def launch(config: BrokerConfig, cluster_id: str | None = None) -> subprocess.Popen[bytes]:
    """Write the configuration, format storage on first start and start the JVM; do not wait.

    A node of a cluster cannot answer before a majority of the quorum runs, so the cluster
    launches every node first and waits afterwards.
    """
    state = config.state_dir
    state.mkdir(parents=True, exist_ok=True)
    config.logs_dir.mkdir(parents=True, exist_ok=True)
    for port in (config.port, config.controller_port):
        if _port_in_use(config.host, port):
            raise BrokerError(
                f"port {port} on {config.host} is already in use: stop what uses it or pass --port/--controller-port"
            )
    (state / "server.properties").write_text(config.server_properties())
    (state / "log4j2.properties").write_text(_log4j_config(config.logs_dir))
    format_storage(config, cluster_id)
    cmd = _java_command(config, "kafka.Kafka", str(state / "server.properties"))
    with open(config.logs_dir / "stdout.log", "ab") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    info = {
        "pid": proc.pid,
        "port": config.port,
        "controller_port": config.controller_port,
        "bootstrap": config.bootstrap,
        "started_at": time.time(),
    }
    config.info_file.write_text(json.dumps(info, indent=2) + "\n")
    return proc


def wait_answers(config: BrokerConfig, proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait until the launched broker answers a metadata request; stop it and raise if it does not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BrokerError(
                f"the broker exited with code {proc.returncode} while starting; see {config.logs_dir}/server.log"
                f"\n{tail_logs(config.state_dir, 15)}"
            )
        if answers_metadata(config.bootstrap, timeout=2.0):
            return
        time.sleep(0.5)
    stop(config.state_dir)
    raise BrokerError(f"the broker did not answer a metadata request within {timeout:.0f}s; see {config.logs_dir}")


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def stop(state_dir: Path, *, timeout: float = 30.0) -> bool:
    """Stop the broker cleanly (SIGTERM, wait, then SIGKILL). Returns False if none ran."""
    pid = running_pid(state_dir)
    if pid is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while _alive(pid):
            time.sleep(0.1)
    return True


def kill(state_dir: Path) -> bool:
    """SIGKILL the broker (no shutdown, as a crashed host); returns False if none ran."""
    pid = running_pid(state_dir)
    if pid is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    while _alive(pid):
        time.sleep(0.05)
    return True


def _alive(pid: int) -> bool:
    # Reap our own child if it is one, so a zombie does not look alive.
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):
        if stat.read_text().split(")")[-1].split()[0] == "Z":
            return False
    return True


def status(state_dir: Path) -> dict[str, object]:
    """Running state of the broker of a state folder."""
    info = read_info(state_dir)
    pid = running_pid(state_dir)
    bootstrap = str(info.get("bootstrap", "")) or None
    return {
        "state_dir": str(state_dir),
        "running": pid is not None,
        "pid": pid,
        "bootstrap": bootstrap,
        "answers": bool(pid and bootstrap and answers_metadata(bootstrap, timeout=3.0)),
    }


def tail_logs(state_dir: Path, lines: int = 50) -> str:
    """The last lines of the broker's server log (or stdout log when Log4j wrote nothing)."""
    for name in ("server.log", "stdout.log"):
        path = state_dir / "logs" / name
        if path.exists() and path.stat().st_size:
            return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def run_kafka_tool(config: BrokerConfig, main_class: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one of Kafka's own Java tools (e.g. ``kafka.admin.ConfigCommand``) on the local classpath."""
    return subprocess.run(_java_command(config, main_class, *args), capture_output=True, text=True, check=False)
