"""``casualty feed``: sources, validation, rate limiting, feed de-duplication, and sending to the real broker."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from streams.cli.main import cli
from streams.clients.connect import describe_connect_error
from streams.config import Settings
from streams.feed import FeedOptions, Item, Reporter, SentEntries, TokenBucket, plan_sources, prepare
from streams.feed.files import read_file, read_stream
from streams.feed.rss import read_feed
from streams.feed.text import html_to_text
from streams.local import broker as lb
from tests.support.kafka import consume_raw, unique_name

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
RSS_IDS = [  # oldest first
    "https://wire.example/iraq/2026/02/02/mosul-police",
    "test-wire-2026-02-03-baquba",
    "https://wire.example/iraq/2026/02/04/tal-afar-mortar",
]
ATOM_IDS = ["tag:wire.example,2026-02-04:aleppo-car-bomb", "tag:wire.example,2026-02-05:idlib-shelling"]


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


# --- rate limiting ---------------------------------------------------------------------------------
def test_token_bucket_spaces_sends_at_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(4.0, clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(9):
        bucket.acquire()
        stamps.append(clock.now - 100.0)
    assert stamps == pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0])


def test_token_bucket_allows_a_burst_up_to_capacity_then_refills() -> None:
    clock = FakeClock()
    bucket = TokenBucket(2.0, capacity=3, clock=clock, sleep=clock.sleep)
    assert [bucket.try_acquire() for _ in range(4)] == [True, True, True, False]
    clock.now += 1.0  # two tokens accrue
    assert [bucket.try_acquire() for _ in range(3)] == [True, True, False]
    clock.now += 60.0  # never more than the capacity
    assert sum(bucket.try_acquire() for _ in range(5)) == 3


def test_token_bucket_rejects_a_non_positive_rate() -> None:
    with pytest.raises(ValueError, match="rate must be positive"):
        TokenBucket(0)


# --- sources -------------------------------------------------------------------------------------
def test_html_is_stripped_to_paragraphs() -> None:
    html = "<p>BAQUBA &mdash; A bomb <b>wounded</b> four.</p><script>x()</script><p>Police&nbsp;said.<br>Later.</p>"
    assert html_to_text(html) == "BAQUBA — A bomb wounded four.\n\nPolice said.\nLater."


def test_plan_sources_classifies_targets(tmp_path: Path) -> None:
    (tmp_path / "b.jsonl").write_text("{}\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("text")
    (tmp_path / "sub" / "feed.xml").write_text("<rss/>")
    (tmp_path / "notes.md").write_text("ignored")
    sources = plan_sources([str(tmp_path), "-", "https://wire.example/rss", str(tmp_path / "nope.json")])
    assert [(s.kind, s.target) for s in sources] == [
        ("file", str(tmp_path / "b.jsonl")),
        ("file", str(tmp_path / "sub" / "a.txt")),
        ("feed", str(tmp_path / "sub" / "feed.xml")),
        ("stdin", "<stdin>"),
        ("feed", "https://wire.example/rss"),
        ("missing", str(tmp_path / "nope.json")),
    ]
    assert [(s.kind, s.target) for s in plan_sources([])] == [("stdin", "<stdin>")]
    (tmp_path / "empty").mkdir()
    assert plan_sources([str(tmp_path / "empty")]) == []  # an empty folder is not stdin


def test_jsonl_items_carry_file_and_line() -> None:
    path = FEEDS / "wire-day.jsonl"
    items = list(read_file(path))
    assert [item.origin for item in items] == [f"{path}:{n}" for n in (1, 2, 3, 5, 6, 7)]
    outcomes = []
    for item in items:
        try:
            outcomes.append(prepare(item).id)
        except ValueError as exc:
            outcomes.append(getattr(exc, "code", "?"))
    assert outcomes == ["tw-2026-02-03-001", "invalid_json", "tw-2026-02-03-003", "missing_field",
                        "invalid_value", "tw-2026-02-03-006"]


def test_json_array_and_txt_files(tmp_path: Path) -> None:
    array = tmp_path / "day.json"
    array.write_text(orjson.dumps([{"id": "a", "body": "One killed."}, 7, {"id": "b", "body": "Two hurt."}]).decode())
    items = list(read_file(array))
    assert [(i.origin, i.error) for i in items] == [
        (f"{array}[0]", None), (f"{array}[1]", "expected an article object, got int"), (f"{array}[2]", None),
    ]
    text = tmp_path / "story.txt"
    text.write_text("\ufeffGunmen killed a guard in Kirkuk.\n", encoding="utf-8")
    (item,) = read_file(text)
    article = prepare(item)
    assert article.body == "Gunmen killed a guard in Kirkuk.\n"
    assert article.id == "story"  # the file stem, as `casualty extract` names it
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x",\n "body": }')
    assert [(i.origin, i.error) for i in read_file(broken)] == [
        (f"{broken}:2", "invalid JSON: unexpected character, expected a JSON value (column 10)")
    ]


def test_prepare_stamps_received_at_now_replacing_the_input() -> None:
    item = Item(origin="x", obj={"id": "a", "body": "b", "received_at": "2001-01-01T00:00:00Z"})
    stamped = prepare(item).received_at
    assert stamped is not None and stamped.startswith("20") and stamped != "2001-01-01T00:00:00Z"


def test_stdin_lines() -> None:
    items = list(read_stream(io.BytesIO(b'{"body": "a"}\n\n{"body": "b"}\r\n')))
    assert [(i.origin, i.payload) for i in items] == [("<stdin>:1", b'{"body": "a"}'), ("<stdin>:3", b'{"body": "b"}')]


def test_rss_entries_become_articles() -> None:
    items = list(read_feed(str(FEEDS / "wire.rss"), "t", SentEntries(None)))
    assert [i.entry_key for i in items] == RSS_IDS
    baquba = items[1].obj
    assert baquba == {
        "id": "test-wire-2026-02-03-baquba",
        "title": "Roadside bomb wounds four in Baquba",
        "body": "BAQUBA, Iraq (Test Wire) — A roadside bomb wounded four farmers on Tuesday near a village east "
                "of Baquba, police said.\n\nNo group claimed the attack.",
        "url": "https://wire.example/iraq/2026/02/03/baquba-bomb",
        "source": "Test Wire Iraq",
        "language": "en",
        "published": "2026-02-03T09:40:00Z",
    }


def test_atom_entries_use_content_or_summary_and_utc_times() -> None:
    items = list(read_feed((FEEDS / "wire.atom").as_uri(), "t", SentEntries(None)))
    assert [i.entry_key for i in items] == ATOM_IDS
    aleppo, idlib = (i.obj for i in items)
    assert aleppo is not None and idlib is not None
    assert aleppo["published"] == "2026-02-04T15:20:00Z"  # only <updated>
    assert aleppo["body"].startswith("A car bomb exploded near a bus station in Aleppo")
    assert idlib["title"] == "Shelling kills three in Idlib countryside"
    assert idlib["published"] == "2026-02-05T06:30:00Z"  # 08:30+02:00
    assert idlib["body"].startswith("IDLIB, Syria (Test Wire) - Artillery shelling killed three civilians")


def test_sent_entries_are_skipped_and_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state" / "feed.json"
    sent = SentEntries.load(path)
    sent.add("t", RSS_IDS[0])
    sent.save()
    again = SentEntries.load(path)
    items = list(read_feed(str(FEEDS / "wire.rss"), "t", again))
    assert [i.entry_key for i in items if not i.already_sent] == RSS_IDS[1:]
    assert [i.entry_key for i in items if i.already_sent] == RSS_IDS[:1]  # counted as "already sent"
    # Another topic has not seen it.
    assert [i.entry_key for i in read_feed(str(FEEDS / "wire.rss"), "other", again)] == RSS_IDS
    path.write_text("{not json")
    with pytest.raises(ValueError, match="unreadable"):
        SentEntries.load(path)


def test_not_a_feed_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "page.xml"
    bad.write_text("this is not xml at all <<<")
    (item,) = read_feed(str(bad), "t", SentEntries(None))
    assert item.origin == str(bad) and item.error is not None and item.error.startswith("not an RSS or Atom feed")


def test_reporter_plain_lines_and_summary() -> None:
    out = io.StringIO()
    with Reporter(out, tty=False) as reporter:
        reporter.sent()
        reporter.skipped("day.jsonl:2", "bad JSON")
        reporter.failed("day.jsonl:3", "timeout")
    lines = out.getvalue().splitlines()
    assert lines[:2] == ["day.jsonl:2: bad JSON", "day.jsonl:3: send failed: timeout"]
    assert lines[2].startswith("feed: sent 1, skipped 1, failed 1 in ")
    assert reporter.counts.exit_code == 1


def test_auth_failure_is_one_clear_line_without_the_secret() -> None:
    from kafka.errors import NoBrokersAvailable

    settings = Settings.from_env({}, bootstrap="kafka:9093", security_protocol="SASL_PLAINTEXT",
                                 sasl_mechanism="SCRAM-SHA-512", sasl_username="feeder", sasl_password="s3cret!")
    logs = ["<BrokerConnection ...>: SaslAuthenticate error: SaslAuthenticationFailedError "
            "(Authentication failed during authentication due to invalid credentials with SASL mechanism "
            "SCRAM-SHA-512) s3cret!"]
    message = describe_connect_error(NoBrokersAvailable(), settings, logs)
    assert message == ("authentication failed for user 'feeder' (SASL SCRAM-SHA-512) at kafka:9093: "
                       "check KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD")
    plain = describe_connect_error(NoBrokersAvailable(), Settings.from_env({}, bootstrap="h:1"), [])
    assert plain.startswith("cannot reach Kafka at h:1: no broker answered")


def test_feed_options_default_topic_uses_the_prefix() -> None:
    settings = Settings.from_env({}, topic_prefix="x.")
    assert FeedOptions(topic=settings.articles_topic).topic == "x.articles"


# --- against the real broker -------------------------------------------------------------------
def _feed(bootstrap: str, prefix: str, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    runner = CliRunner(mix_stderr=False)
    result = runner.invoke(cli, ["feed", "--bootstrap", bootstrap, "--topic-prefix", prefix, *args], input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.kafka
def test_feeding_an_rss_file_twice_sends_each_entry_once(kafka_bootstrap: str, tmp_path: Path) -> None:
    prefix = unique_name("feed") + "."
    state = str(tmp_path / "state.json")
    code, _, err = _feed(kafka_bootstrap, prefix, str(FEEDS / "wire.rss"), "--state", state)
    assert code == 0, err
    assert "feed: sent 3, skipped 0, failed 0" in err
    code, _, err = _feed(kafka_bootstrap, prefix, str(FEEDS / "wire.rss"), "--state", state)
    assert code == 0 and "feed: sent 0, 3 already sent, skipped 0, failed 0" in err
    messages = consume_raw(kafka_bootstrap, f"{prefix}articles", 10, timeout=8)
    assert [m.key.decode() for m in messages] == RSS_IDS
    values = [orjson.loads(m.value) for m in messages]
    assert [v["id"] for v in values] == RSS_IDS
    assert values[0]["published"] == "2026-02-02T17:05:00Z" and values[0]["source"] == "Test Wire Iraq"
    assert all(v["received_at"] and v["received_at"].endswith("Z") for v in values)


@pytest.mark.kafka
def test_an_atom_feed_url_is_sent(kafka_bootstrap: str, tmp_path: Path) -> None:
    prefix = unique_name("feed") + "."
    code, _, err = _feed(kafka_bootstrap, prefix, (FEEDS / "wire.atom").as_uri(), "--state", str(tmp_path / "s"))
    assert code == 0, err
    messages = consume_raw(kafka_bootstrap, f"{prefix}articles", 2, timeout=20)
    assert [m.key.decode() for m in messages] == ATOM_IDS
    assert orjson.loads(messages[1].value)["title"] == "Shelling kills three in Idlib countryside"


@pytest.mark.kafka
def test_bad_jsonl_lines_are_reported_and_the_rest_sent(kafka_bootstrap: str) -> None:
    prefix = unique_name("feed") + "."
    path = FEEDS / "wire-day.jsonl"
    code, _, err = _feed(kafka_bootstrap, prefix, str(path))
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith(f"{path}:2: message is not valid JSON")
    assert lines[1] == (f"{path}:5: field 'body' is missing (the object has 'id', 'source', 'title', 'published'); "
                        "every article needs 'body', a string with the article text [missing_field]")
    assert lines[2].startswith(f"{path}:6: field 'published' must be an ISO-8601 date")
    assert lines[3].startswith("feed: sent 3, skipped 3, failed 0")
    messages = consume_raw(kafka_bootstrap, f"{prefix}articles", 3, timeout=20)
    assert sorted(m.key.decode() for m in messages) == ["tw-2026-02-03-001", "tw-2026-02-03-003", "tw-2026-02-03-006"]


@pytest.mark.kafka
def test_stdin_json_lines_with_a_custom_topic(kafka_bootstrap: str) -> None:
    topic = unique_name("stdin")
    lines = b'{"id": "s1", "body": "One killed in Hilla."}\n{"id": "s2", "body": "Two hurt in Kut."}\n'
    code, _, err = _feed(kafka_bootstrap, "ignored.", "--topic", topic, "-", stdin=lines)
    assert code == 0, err
    messages = consume_raw(kafka_bootstrap, topic, 2, timeout=20)
    assert [(m.key, orjson.loads(m.value)["body"]) for m in messages] == [
        (b"s1", "One killed in Hilla."), (b"s2", "Two hurt in Kut.")
    ]


@pytest.mark.kafka
def test_raw_sends_lines_unvalidated_without_key(kafka_bootstrap: str, tmp_path: Path) -> None:
    prefix = unique_name("feed") + "."
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"id": "x", "body": 42}\nnot json at all\n')
    code, _, err = _feed(kafka_bootstrap, prefix, "--raw", str(path))
    assert code == 0, err
    messages = consume_raw(kafka_bootstrap, f"{prefix}articles", 2, timeout=20)
    assert [(m.key, m.value) for m in messages] == [(None, b'{"id": "x", "body": 42}'), (None, b"not json at all")]


def test_unreachable_broker_is_exit_3_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"body": "x"}\n')
    code, _, err = _feed(f"127.0.0.1:{lb.free_port()}", "p.", str(path))
    assert code == 3
    assert err.count("\n") == 1 and err.startswith("error: cannot reach Kafka at 127.0.0.1:")


@pytest.fixture(scope="module")
def sasl_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second local broker with a SASL/PLAIN listener for user ``feeder`` (password ``right-one``)."""
    port, controller, sasl = lb.free_port(), lb.free_port(), lb.free_port()
    extra = {
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller},"
                     f"SASL_PLAINTEXT://127.0.0.1:{sasl}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port},SASL_PLAINTEXT://127.0.0.1:{sasl}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
        "sasl.enabled.mechanisms": "PLAIN",
        "listener.name.sasl_plaintext.plain.sasl.jaas.config":
            'org.apache.kafka.common.security.plain.PlainLoginModule required user_feeder="right-one";',
    }
    state = tmp_path_factory.mktemp("sasl-broker")
    config = lb.BrokerConfig(state_dir=state, port=port, controller_port=controller, heap="256m",
                             extra_properties=extra)
    lb.start(config, fresh=True)
    try:
        yield f"127.0.0.1:{sasl}"
    finally:
        lb.stop(state)


@pytest.mark.kafka
def test_sasl_login_wrong_and_right(sasl_bootstrap: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "PLAIN")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "feeder")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "wrong-one")
    code, out, err = _feed(sasl_bootstrap, "sasl.", str(FEEDS / "wire.rss"), "--state", str(tmp_path / "s"))
    assert code == 3
    assert out == ""
    assert err == (f"error: authentication failed for user 'feeder' (SASL PLAIN) at {sasl_bootstrap}: "
                   "check KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD\n")
    assert "wrong-one" not in err
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "right-one")
    code, _, err = _feed(sasl_bootstrap, "sasl.", str(FEEDS / "wire.rss"), "--state", str(tmp_path / "s"))
    assert code == 0, err
    assert "feed: sent 3, skipped 0, failed 0" in err
