"""``casualty feed`` as a newcomer met it (issue 18): exit without waiting, re-polls, HTML saved as
.xml, --follow, text on stdin, --source/--published, --max-body-bytes, and the same inputs and error
texts as ``casualty extract``."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from streams.cli.main import cli
from streams.config import Settings
from streams.feed import FeedOptions, Reporter, run_feed
from streams.feed.sources import read_stdin
from streams.local.broker import free_port
from tests.support.kafka import consume_json, create_topic, unique_name

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
TEXT = "A roadside bomb killed two soldiers near Baquba on Monday, police said.\n"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner(mix_stderr=False).invoke(cli, list(args), input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_plain_text_on_stdin_is_one_article_and_json_lines_stay_json_lines() -> None:
    (item,) = read_stdin(io.BytesIO(b"\n" + TEXT.encode()))
    assert item.obj == {"body": "\n" + TEXT} and item.origin == "<stdin>"
    items = list(read_stdin(io.BytesIO(b'{"body": "a"}\n{"body": "b"}\n')))
    assert [i.payload for i in items] == [b'{"body": "a"}', b'{"body": "b"}']
    (forced,) = read_stdin(io.BytesIO(b'{"body": "a"}\n'), "txt")
    assert forced.obj == {"body": '{"body": "a"}\n'}


def test_an_html_page_named_xml_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "news.xml"
    page.write_text("<!DOCTYPE html><html><head><title>News</title></head><body><p>Hello</p></body></html>")
    code, _, err = run("feed", "-b", f"127.0.0.1:{free_port()}", str(page))
    assert code == 1
    assert err.splitlines()[0] == (f"{page}: not an RSS or Atom feed: no <rss>, <feed> or <rdf:RDF> element "
                                   "(an HTML page?)")


def test_nothing_to_send_exits_at_once_even_without_a_broker(tmp_path: Path) -> None:
    started = time.monotonic()
    code, _, err = run("feed", "-b", f"127.0.0.1:{free_port()}", str(tmp_path / "missing.json"))
    assert time.monotonic() - started < 3
    assert code == 1
    assert err.splitlines()[0] == f"{tmp_path / 'missing.json'}: no such file or directory"


def test_feed_and_extract_report_the_same_problems_in_the_same_words(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{not json\n{"id": "e", "body": ""}\n{"id": "d", "published": "yesterday", "body": "x"}\n')
    targets = [str(bad), str(tmp_path / "nope.txt")]
    _, _, feed_err = run("feed", "-b", f"127.0.0.1:{free_port()}", *targets)
    _, _, extract_err = run("extract", *targets)
    problems = [line for line in extract_err.splitlines() if not line.endswith("skipped")]
    assert len(problems) == 4
    assert feed_err.splitlines()[:4] == problems
    assert problems[2].endswith("got 'yesterday' [invalid_value]")


def test_both_commands_refuse_the_same_published_flag() -> None:
    for command in ("feed", "extract"):
        code, _, err = run(command, "--published", "2026-13-40", stdin=TEXT)
        assert code == 2, command
        assert "--published must be an ISO-8601 date or datetime" in err, command


@pytest.mark.kafka
def test_text_on_stdin_with_source_and_published(kafka_bootstrap: str) -> None:
    topic = unique_name("feedtxt")
    create_topic(kafka_bootstrap, topic)
    code, _, err = run("feed", "-b", kafka_bootstrap, "-t", topic, "--source", "Example Wire",
                       "--published", "2026-03-02", stdin=TEXT)
    assert code == 0, err
    (article,) = consume_json(kafka_bootstrap, topic, 1)
    assert (article["body"], article["source"], article["published"]) == (TEXT, "Example Wire", "2026-03-02")


@pytest.mark.kafka
def test_max_body_bytes_flag_refuses_a_larger_article(kafka_bootstrap: str, tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("x" * 300)
    code, _, err = run("feed", "-b", kafka_bootstrap, "-t", unique_name("big"), "--max-body-bytes", "200", str(path))
    assert code == 1
    assert err.splitlines()[0].startswith(f"{path}: field 'body' is 300 bytes of UTF-8, over the limit of 200 bytes")
    assert "--max-body-bytes of casualty worker and casualty feed" in err


@pytest.mark.kafka
def test_follow_says_what_each_poll_found(kafka_bootstrap: str, tmp_path: Path) -> None:
    topic = unique_name("follow")
    create_topic(kafka_bootstrap, topic)
    out = io.StringIO()
    stop = threading.Event()
    options = FeedOptions(topic=topic, follow=True, interval=1.0, state_path=tmp_path / "state.json")
    settings = Settings.from_env({}, bootstrap=kafka_bootstrap)
    with Reporter(out, tty=False) as reporter:
        runner = threading.Thread(target=run_feed, args=([str(FEEDS / "wire.rss")], settings, options, reporter),
                                  kwargs={"stop": stop})
        runner.start()
        deadline = time.monotonic() + 30
        while "feed: polled" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.2)
        stop.set()
        runner.join(30)
    polls = [line for line in out.getvalue().splitlines() if line.startswith("feed: polled")]
    assert polls and polls[0] == f"feed: polled {FEEDS / 'wire.rss'}: 0 new, 3 already sent, 0 skipped, 0 failed"
    assert len(consume_json(kafka_bootstrap, topic, 4, timeout=5)) == 3  # each entry once
