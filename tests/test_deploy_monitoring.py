"""deploy/prometheus and deploy/grafana: valid for the real tools, and consistent with our metrics.

* ``promtool check config`` / ``check rules`` accept the files, and ``promtool test rules``
  runs the alert unit tests in ``alerts.test.yml`` (each alert fires when it should);
* every metric name in an alert or a Grafana panel exists in :mod:`streams.web.metrics`;
* the README's tables list every metric and every alert;
* the test support's real Prometheus scrapes a prometheus_client server and answers PromQL.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server
from prometheus_client.parser import text_string_to_metric_families

from tests.support.prometheus import free_port, prometheus_path, running_prometheus
from tests.test_metrics_lint import exercised_metrics

ROOT = Path(__file__).resolve().parent.parent
PROM_DIR = ROOT / "deploy" / "prometheus"
GRAFANA_DIR = ROOT / "deploy" / "grafana"
DASHBOARD = GRAFANA_DIR / "dashboards" / "casualty-stream.json"

PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool not installed (apt-get install -y prometheus; CI installs it)"
)

PROMQL_KEYWORDS = frozenset(
    {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
     "inf", "nan", "Inf", "NaN"}
)
BUILTIN_SERIES = frozenset({"up", "scrape_duration_seconds", "scrape_samples_scraped"})
"""Series Prometheus itself attaches to every target."""


def promql_metric_names(expr: str) -> set[str]:
    """Metric names referenced by a PromQL expression (functions, keywords and labels left out)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)  # string literals
    text = re.sub(r"\{[^}]*\}", " ", text)  # label matchers, also Grafana's $variables inside them
    text = re.sub(r"\[[^\]]*\]", " ", text)  # ranges and subqueries
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.$])([A-Za-z_:][\w:]*)\b(\s*\()?", text):
        name, is_call = match.group(1), match.group(2)
        if not is_call and name not in PROMQL_KEYWORDS:
            names.add(name)
    return names


def test_promql_metric_names_parser() -> None:
    expr = (
        'histogram_quantile(0.95, sum by (le) (rate(casualty_x_bucket{job="w", instance=~"$instance"}[5m])))'
        " / on (job) group_left sum without (topic) (up) > bool 0.5 and foo:bar offset 5m"
    )
    assert promql_metric_names(expr) == {"casualty_x_bucket", "up", "foo:bar"}


@pytest.fixture(scope="module")
def exposed_names() -> set[str]:
    """Every family and sample name the worker can expose, plus Prometheus' own target series."""
    text = exercised_metrics().render_latest()[0].decode("utf-8")
    names: set[str] = set(BUILTIN_SERIES)
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        names.update(sample.name for sample in family.samples)
    return names


def alert_rules() -> list[dict[str, str]]:
    doc = yaml.safe_load((PROM_DIR / "alerts.yml").read_text(encoding="utf-8"))
    return [rule for group in doc["groups"] for rule in group["rules"]]


def dashboard_exprs() -> list[str]:
    dash = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run([PROMTOOL, *args], cwd=PROM_DIR, capture_output=True, text=True, timeout=120, check=False)


@needs_promtool
def test_promtool_check_config() -> None:
    proc = _promtool("check", "config", "prometheus.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SUCCESS: 1 rule files found" in proc.stdout + proc.stderr


@needs_promtool
def test_promtool_check_rules() -> None:
    proc = _promtool("check", "rules", "alerts.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in proc.stdout + proc.stderr


@needs_promtool
def test_promtool_alert_unit_tests() -> None:
    proc = _promtool("test", "rules", "alerts.test.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tested = set(re.findall(r"alertname: (\w+)", (PROM_DIR / "alerts.test.yml").read_text(encoding="utf-8")))
    assert tested == {rule["alert"] for rule in alert_rules()}, "every alert needs a promtool unit test"


def test_required_alerts_exist() -> None:
    assert {rule["alert"] for rule in alert_rules()} == {
        "CasualtyWorkerDown",
        "CasualtyWorkerNotReady",
        "CasualtyConsumerLagGrowing",
        "CasualtyConsumerLagHigh",
        "CasualtyDeadLetterRateHigh",
        "CasualtyReconciliationGapHigh",
        "CasualtyNoArticles",
    }


def test_alert_exprs_use_only_our_metrics(exposed_names: set[str]) -> None:
    for rule in alert_rules():
        unknown = promql_metric_names(rule["expr"]) - exposed_names
        assert not unknown, f"{rule['alert']} references unknown metrics {sorted(unknown)}"


def test_grafana_dashboard_is_valid_and_uses_only_our_metrics(exposed_names: set[str]) -> None:
    dash = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert dash["uid"] == "casualty-stream"
    exprs = dashboard_exprs()
    assert len(exprs) >= 10
    for expr in exprs:
        names = promql_metric_names(expr)
        assert names, f"no metric in {expr!r}"
        assert names <= exposed_names, f"unknown metrics {sorted(names - exposed_names)} in {expr!r}"
    joined = "\n".join(exprs)
    for needed in (
        "casualty_articles_processed_total",  # throughput
        "casualty_consumer_lag_messages",  # lag
        "histogram_quantile(0.95, sum by (le) (rate(casualty_end_to_end_latency_seconds_bucket",  # latency
        "casualty_dead_letters_total",
        'sum by (region) (casualty_casualties_total{job="casualty-worker", instance=~"$instance", kind="killed"})',
    ):
        assert needed in joined
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids))


def test_grafana_provisioning_matches_the_dashboard() -> None:
    datasources = yaml.safe_load((GRAFANA_DIR / "provisioning" / "datasources.yaml").read_text(encoding="utf-8"))
    providers = yaml.safe_load((GRAFANA_DIR / "provisioning" / "dashboards.yaml").read_text(encoding="utf-8"))
    uids = {ds["uid"] for ds in datasources["datasources"]}
    assert providers["providers"][0]["type"] == "file"
    dash = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    used = {p["datasource"]["uid"] for p in dash["panels"] if "datasource" in p}
    used |= {t["datasource"]["uid"] for p in dash["panels"] for t in p.get("targets", [])}
    assert used == uids == {"casualty-prometheus"}


def test_readme_documents_every_metric_and_alert() -> None:
    readme = (PROM_DIR / "README.md").read_text(encoding="utf-8")
    text = exercised_metrics().render_latest()[0].decode("utf-8")
    ours = {name for name, _ in re.findall(r"^# TYPE (casualty_\S+) (\S+)$", text, re.MULTILINE)}
    ours = {n for n in ours if not n.endswith("_created")}
    missing = sorted(n for n in ours if f"`{n}`" not in readme)
    assert not missing, f"README lacks metrics {missing}"
    missing_alerts = sorted(r["alert"] for r in alert_rules() if f"`{r['alert']}`" not in readme)
    assert not missing_alerts, f"README lacks alerts {missing_alerts}"


# -- the real Prometheus of the test support ----------------------------------------------------

needs_prometheus = pytest.mark.skipif(
    prometheus_path() is None, reason="prometheus not installed (apt-get install -y prometheus; CI installs it)"
)


@pytest.fixture
def tiny_exporter() -> Iterator[tuple[str, Counter, Gauge]]:
    """A prometheus_client HTTP server on a free port with its own registry."""
    registry = CollectorRegistry()
    killed = Counter("casualty_casualties_total", "Casualties.", ["region", "kind"], registry=registry)
    ready = Gauge("casualty_worker_ready", "Ready.", registry=registry)
    port = free_port()
    server, thread = start_http_server(port, addr="127.0.0.1", registry=registry)
    try:
        yield f"127.0.0.1:{port}", killed, ready
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.prometheus
@needs_prometheus
def test_running_prometheus_scrapes_and_answers_promql(
    tiny_exporter: tuple[str, Counter, Gauge], tmp_path: Path
) -> None:
    target, casualties, ready = tiny_exporter
    casualties.labels(region="IQ-NI", kind="killed").inc(3)
    casualties.labels(region="IQ-DI", kind="killed").inc(7)
    casualties.labels(region="IQ-DI", kind="wounded").inc(14)
    ready.set(1)
    with running_prometheus([target], tmp_path) as prom:
        up = prom.wait_for('up{job="casualty-worker"}', lambda r: len(r) == 1 and r[0].value == 1, timeout=30)
        assert up[0].labels["instance"] == target

        result = prom.query('sum by (region) (casualty_casualties_total{kind="killed"})')
        assert {s.labels["region"]: s.value for s in result} == {"IQ-NI": 3.0, "IQ-DI": 7.0}

        # A later change shows up within a few scrapes.
        casualties.labels(region="IQ-NI", kind="killed").inc(2)
        result = prom.wait_for(
            'casualty_casualties_total{region="IQ-NI", kind="killed"}', lambda r: bool(r) and r[0].value == 5.0
        )
        assert result[0].labels["kind"] == "killed"
        assert prom.query("scalar(casualty_worker_ready)")[0].value == 1.0
        process = prom.process
    assert process.poll() is not None, "prometheus must be stopped when the context exits"
