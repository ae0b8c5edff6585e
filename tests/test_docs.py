"""The README's promises that code can check: the set-up commands and the configuration table."""

from __future__ import annotations

from pathlib import Path

from streams.config import settings_table_markdown

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_starts_with_the_demo_and_test_commands() -> None:
    head = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in head.strip().splitlines()]
    assert commands == ["bash scripts/demo.sh", "bash scripts/test.sh"]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in ci
    assert ci[-1] == "bash scripts/test.sh"


def test_configuration_table_matches_the_settings() -> None:
    assert settings_table_markdown() in README


def test_compose_file_runs_the_official_kafka_4_image_and_the_worker() -> None:
    import yaml

    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    kafka, worker = compose["services"]["kafka"], compose["services"]["worker"]
    assert kafka["image"].startswith("apache/kafka:4.")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert kafka["environment"]["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == 1
    assert (ROOT / "deploy" / worker["build"]["context"] / worker["build"]["dockerfile"]).is_file()
    assert worker["environment"]["KAFKA_BOOTSTRAP"] == "kafka:29092"
