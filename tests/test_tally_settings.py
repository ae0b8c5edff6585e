"""Settings of the tally batches, the producer and the table stores (no broker needed)."""

from __future__ import annotations

import weakref
from types import SimpleNamespace

import faust
import faust.streams
import pytest

from streams.config import Settings
from streams.worker.delivery import handling
from streams.worker.tables import ROCKSDB_OPTIONS, SeenIds, is_copy, store_options


def test_batch_and_linger_defaults() -> None:
    settings = Settings.from_env({})
    assert (settings.tally_batch, settings.tally_wait_ms, settings.producer_linger_ms) == (500, 50, 10)


def test_batch_settings_come_from_the_environment() -> None:
    env = {"CASUALTY_TALLY_BATCH": "64", "CASUALTY_TALLY_WAIT_MS": "5", "CASUALTY_PRODUCER_LINGER_MS": "0"}
    settings = Settings.from_env(env)
    assert (settings.tally_batch, settings.tally_wait_ms, settings.producer_linger_ms) == (64, 5, 0)


@pytest.mark.parametrize(("env", "message"), [
    ({"CASUALTY_TALLY_BATCH": "0"}, "tally_batch must be at least 1"),
    ({"CASUALTY_TALLY_WAIT_MS": "0"}, "tally_wait_ms must be at least 1"),
    ({"CASUALTY_PRODUCER_LINGER_MS": "-1"}, "producer_linger_ms at least 0"),
    ({"CASUALTY_TALLY_BATCH": "many"}, "CASUALTY_TALLY_BATCH must be an integer, got 'many'"),
])
def test_unusable_batch_settings_are_refused_by_name(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.from_env(env)


def test_rocksdb_tables_get_bounded_buffers_and_memory_tables_nothing() -> None:
    options = store_options("rocksdb://")
    assert options == ROCKSDB_OPTIONS and options is not ROCKSDB_OPTIONS
    # 4 tables x 6 partitions: write buffers + block caches stay well below the 300 MB target.
    per_db = (options["write_buffer_size"] * options["max_write_buffer_number"] + options["block_cache_size"]
              + options["block_cache_compressed_size"])
    assert 4 * 6 * per_db < 300 * 1024 * 1024
    assert store_options("memory://") is None


class _Event:
    """Stands for a Faust event: handling() only keeps a weak reference to it."""


def test_handling_makes_an_event_current_and_restores_the_previous_one() -> None:
    first, second = _Event(), _Event()
    token = faust.streams._current_event.set(weakref.ref(first))
    try:
        with handling(second):  # type: ignore[arg-type]
            assert faust.current_event() is second
        assert faust.current_event() is first
    finally:
        faust.streams._current_event.reset(token)
    assert faust.current_event() is None


def test_seen_id_marks_expire_after_their_retention_in_stream_time() -> None:
    seen = SeenIds(_FakeTable(), retention_days=30)
    day_s = 86_400.0

    def at(day: float) -> _Event:
        event = _Event()
        event.message = SimpleNamespace(timestamp=day * day_s + 3_600)  # type: ignore[attr-defined]
        return event

    monday = at(20_000)
    with handling(monday):  # type: ignore[arg-type]
        assert seen.first_offset("article-1") is None
        seen.add("article-1", 7)
        assert seen.first_offset("article-1") == 7
        assert not is_copy(seen, "article-1", 7), "the same message again is a redelivery"
        assert is_copy(seen, "article-1", 9), "another message with the same id is a copy"
    last_day = at(20_030)
    with handling(last_day):  # type: ignore[arg-type]
        assert "article-1" in seen
    too_late = at(20_031)
    with handling(too_late):  # type: ignore[arg-type]
        assert "article-1" not in seen and not is_copy(seen, "article-1", 9)


def test_seen_ids_are_only_read_inside_a_stream() -> None:
    with pytest.raises(RuntimeError, match="inside the stream"):
        SeenIds(_FakeTable(), retention_days=30).add("article-1", 1)


def test_rocksdb_seen_tables_drop_marks_by_ttl() -> None:
    assert store_options("rocksdb://", ttl_days=31)["ttl"] == 31 * 86_400  # type: ignore[index]
    assert "ttl" not in store_options("rocksdb://")  # type: ignore[operator]


class _FakeTable(dict):  # type: ignore[type-arg]
    """A table whose store is itself (what SeenIds reads and writes)."""

    @property
    def data(self) -> dict:  # type: ignore[type-arg]
        return self
