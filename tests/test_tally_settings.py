"""Settings of the tally batches, the producer and the table stores (no broker needed)."""

from __future__ import annotations

import weakref

import faust
import faust.streams
import pytest

from streams.config import Settings
from streams.tables import ROCKSDB_OPTIONS, store_options
from streams.transactions import handling


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
