"""deploy/compose.cluster.yaml and deploy/kubernetes/: valid YAML that says what docs/scaling.md says.

Docker and Kubernetes cannot run here, so the files are checked for structure: three KRaft nodes
that agree on the cluster and the quorum, workers that reach all three and use settings the worker
knows, Prometheus and Grafana wired to them, and a Deployment whose probes and ports match the
worker's web API and the Service.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.config import SETTINGS_DOC

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "deploy" / "compose.cluster.yaml"
KUBE = ROOT / "deploy" / "kubernetes"
KNOWN_ENV = {var for var, _, _ in SETTINGS_DOC.values()} | {"BROKER_SESSION_TIMEOUT", "BROKER_HEARTBEAT_INTERVAL"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def kube() -> dict[str, dict[str, Any]]:
    docs = [doc for path in sorted(KUBE.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if doc]
    return {doc["kind"]: doc for doc in docs}


def test_three_kraft_nodes_agree_on_cluster_and_quorum(compose: dict[str, Any]) -> None:
    brokers = {name: svc for name, svc in compose["services"].items() if name.startswith("kafka-")}
    assert sorted(brokers) == ["kafka-1", "kafka-2", "kafka-3"]
    envs = [svc["environment"] for svc in brokers.values()]
    assert {svc["image"] for svc in brokers.values()} == {"apache/kafka:4.1.1"}
    assert sorted(env["KAFKA_NODE_ID"] for env in envs) == [1, 2, 3]
    assert len({env["CLUSTER_ID"] for env in envs}) == 1
    voters = {env["KAFKA_CONTROLLER_QUORUM_VOTERS"] for env in envs}
    assert voters == {"1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"}
    for name, env in zip(brokers, envs, strict=True):
        assert f"INTERNAL://{name}:29092" in env["KAFKA_ADVERTISED_LISTENERS"]
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert env["KAFKA_DEFAULT_REPLICATION_FACTOR"] == 3 and env["KAFKA_MIN_INSYNC_REPLICAS"] == 2
    host_ports = [port for svc in brokers.values() for port in svc["ports"]]
    assert len(set(host_ports)) == 3


def test_workers_reach_every_broker_and_are_scraped_by_prometheus(compose: dict[str, Any]) -> None:
    worker = compose["services"]["worker"]
    env = worker["environment"]
    assert set(env) <= KNOWN_ENV, f"unknown settings: {set(env) - KNOWN_ENV}"
    assert env["KAFKA_BOOTSTRAP"].split(",") == ["kafka-1:29092", "kafka-2:29092", "kafka-3:29092"]
    assert env["CASUALTY_WEB_HOST"] == "0.0.0.0"  # inside the container network only: no host port
    assert "ports" not in worker and worker["deploy"]["replicas"] >= 2
    assert int(env["CASUALTY_PARTITIONS"]) >= worker["deploy"]["replicas"]
    prometheus = yaml.safe_load(compose["configs"]["prometheus-config"]["content"])
    [job] = prometheus["scrape_configs"]
    assert job["job_name"] == "casualty-worker"  # the job the alerts in deploy/prometheus/alerts.yml use
    assert job["dns_sd_configs"] == [{"names": ["worker"], "type": "A", "port": int(env["CASUALTY_WEB_PORT"]),
                                      "refresh_interval": "15s"}]
    datasource = yaml.safe_load(compose["configs"]["grafana-datasource"]["content"])["datasources"][0]
    assert datasource["uid"] == "casualty-prometheus" and datasource["url"] == "http://prometheus:9090"
    for service in ("prometheus", "grafana"):
        for volume in compose["services"][service].get("volumes", []):
            assert (COMPOSE.parent / volume.split(":")[0]).exists(), volume


def test_compose_cluster_replicates_every_topic_three_ways(compose: dict[str, Any]) -> None:
    brokers = [svc["environment"] for name, svc in compose["services"].items() if name.startswith("kafka-")]
    worker_env = compose["services"]["worker"]["environment"]
    assert int(worker_env["CASUALTY_REPLICATION_FACTOR"]) == len(brokers) == 3
    for env in brokers:
        assert env["KAFKA_MIN_INSYNC_REPLICAS"] == env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == 2
        assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == 3
        assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == 3
        assert env["KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE"] == "false"


def test_kubernetes_workers_replicate_and_speak_sasl_ssl(kube: dict[str, dict[str, Any]]) -> None:
    config = kube["ConfigMap"]["data"]
    assert config["CASUALTY_REPLICATION_FACTOR"] == "3" and len(config["KAFKA_BOOTSTRAP"].split(",")) == 3
    assert config["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL" and config["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    pod = kube["Deployment"]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    # The CA file is where the Secret volume puts its ca.crt.
    assert config["KAFKA_SSL_CAFILE"] == f"{mounts['kafka-tls']}/ca.crt"
    assert volumes["kafka-tls"]["secret"]["secretName"] == "casualty-kafka-tls"
    [password] = container["env"]
    assert "optional" not in password["valueFrom"]["secretKeyRef"], "SASL_SSL needs the password: no silent start"


def test_kubernetes_deployment_probes_ports_and_config(kube: dict[str, dict[str, Any]]) -> None:
    assert set(kube) == {"ConfigMap", "Deployment", "Service"}
    config, deployment, service = kube["ConfigMap"], kube["Deployment"], kube["Service"]
    assert set(config["data"]) <= KNOWN_ENV, f"unknown settings: {set(config['data']) - KNOWN_ENV}"
    assert "KAFKA_SASL_PASSWORD" not in config["data"]
    spec = deployment["spec"]
    assert spec["selector"]["matchLabels"] == spec["template"]["metadata"]["labels"] == service["spec"]["selector"]
    [container] = spec["template"]["spec"]["containers"]
    [port] = container["ports"]
    assert port["containerPort"] == int(config["data"]["CASUALTY_WEB_PORT"])
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port["name"]}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port["name"]}
    assert container["envFrom"] == [{"configMapRef": {"name": config["metadata"]["name"]}}]
    [secret] = container["env"]
    assert secret["name"] == "KAFKA_SASL_PASSWORD" and "secretKeyRef" in secret["valueFrom"]
    assert service["spec"]["ports"] == [{"name": "http", "port": port["containerPort"], "targetPort": port["name"]}]
    assert spec["replicas"] <= int(config["data"]["CASUALTY_PARTITIONS"])


def test_scaling_doc_states_the_partition_model() -> None:
    text = (ROOT / "docs" / "scaling.md").read_text()
    for fact in ("articles` | article id", "incidents` | region code", "at most `P` workers do work",
                 "19 governorates", "compose.cluster.yaml", "deploy/kubernetes/"):
        assert fact in text, fact
