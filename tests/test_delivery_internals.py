"""The Faust, mode and aiokafka names the delivery patches override or read are there, as they were written for.

streams/worker/delivery/ subclasses Faust's transport, consumer, producer and transaction manager
(faust-streaming 0.15.3, aiokafka 0.14.0, mode-streaming 0.7.1, pinned in pyproject.toml). An
upgrade that renames a method we override would leave our override silently unused, and one that
changes a private name we read would break exactness only under a crash or a rebalance. These
tests fail first, naming what changed:

* the installed versions are the pinned ones;
* every method or attribute our subclasses define either overrides one of Faust's with the same
  parameters, or is declared as ours below;
* every private name (or assumed behaviour) the patches read is there, with its parameters.
"""

from __future__ import annotations

import contextvars
import importlib.metadata
import inspect
import re
import tomllib
import weakref
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import aiokafka
import faust
import faust.streams
import mode
import pytest
from faust.tables.recovery import Recovery
from faust.topics import Topic
from faust.transport import consumer as faust_consumer
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

from streams.worker.delivery.consumer import DrainingConsumer, GatedConsumer, ReadOffsetSafeConsumer
from streams.worker.delivery.producer import DrainingProducer
from streams.worker.delivery.transactions import SourcePartitionTransactions
from streams.worker.delivery.transport import Transport

ROOT = Path(__file__).resolve().parents[1]
PINNED = ("faust-streaming", "aiokafka", "mode-streaming")

# Members our subclasses add (not overrides of Faust's).
OURS: dict[type, set[str]] = {
    Transport: {"ExactlyOnceConsumer"},
    ReadOffsetSafeConsumer: {"_seek_generation", "_resume_after_seek", "_is_stream_partition"},
    DrainingConsumer: set(),
    GatedConsumer: set(),
    DrainingProducer: {"unpublished", "wait_published"},
    SourcePartitionTransactions: {"transactional_id"},
}
# Class bookkeeping Python adds to every class body.
CLASS_BOOKKEEPING = {"__module__", "__qualname__", "__doc__", "__annotations__", "__dict__", "__weakref__",
                     "__firstlineno__", "__static_attributes__", "__abstractmethods__", "_abc_impl"}


def _pins() -> dict[str, str]:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = {}
    for requirement in dependencies:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([0-9][A-Za-z0-9.]*)", requirement.strip())
        if match:
            pins[match[1]] = match[2]
    return pins


def test_faust_aiokafka_and_mode_are_pinned_and_installed_at_the_pinned_versions() -> None:
    pins = _pins()
    assert set(PINNED) <= set(pins), f"pyproject.toml must pin {PINNED} with ==, has {pins}"
    installed = {name: importlib.metadata.version(name) for name in PINNED}
    assert installed == {name: pins[name] for name in PINNED}


def _parameters(function: Callable[..., Any]) -> list[tuple[str, Any, Any]]:
    """Name, kind and default of each parameter (annotations are spelled differently on both sides)."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


def _faust_member(cls: type, name: str) -> tuple[type, Any] | None:
    """The first class above ``cls`` outside this project that defines ``name``, and what it defines."""
    for base in cls.__mro__[1:]:
        if base.__module__.startswith("streams.") or base is object:
            continue
        if name in vars(base):
            return base, vars(base)[name]
    return None


def _callable(member: Any) -> Callable[..., Any] | None:
    if isinstance(member, (staticmethod, classmethod)):
        return member.__func__
    if isinstance(member, property):
        return member.fget
    return member if inspect.isfunction(member) else None


@pytest.mark.parametrize("cls", list(OURS), ids=lambda cls: cls.__name__)
def test_every_member_we_define_overrides_faust_with_the_same_parameters_or_is_ours(cls: type) -> None:
    problems = []
    for name, member in vars(cls).items():
        if name in CLASS_BOOKKEEPING:
            continue
        found = _faust_member(cls, name)
        if name in OURS[cls]:
            if found is not None:
                problems.append(f"{name} is declared ours but {found[0].__qualname__} defines it now")
            continue
        if found is None:
            problems.append(f"{name} overrides nothing in the installed Faust (renamed or removed?)")
            continue
        base, faust_member = found
        ours, theirs = _callable(member), _callable(faust_member)
        if (ours is None) != (theirs is None):
            problems.append(f"{name}: ours is {type(member).__name__}, "
                            f"{base.__qualname__}'s {type(faust_member).__name__}")
        elif ours is not None and theirs is not None and _parameters(ours) != _parameters(theirs):
            problems.append(f"{name}{inspect.signature(ours)} != {base.__qualname__}.{name}{inspect.signature(theirs)}")
    assert not problems, f"{cls.__qualname__}: " + "; ".join(problems)


def _method_parameters(owner: type, name: str) -> list[str]:
    member = inspect.getattr_static(owner, name)
    function = _callable(member)
    assert function is not None, f"{owner.__qualname__}.{name} is not a method"
    return [str(p).split(":")[0].split("=")[0].strip() for p in inspect.signature(function).parameters.values()]


# Private (or easily changed) methods the patches call, with the parameters they call them with.
CALLED = [
    (faust_aiokafka.AIOKafkaConsumerThread, "_ensure_consumer", ["self"]),         # GatedConsumer.highwaters
    (faust_aiokafka.AIOKafkaConsumerThread, "call_thread", ["self", "fun", "*args", "**kwargs"]),
    (aiokafka.AIOKafkaConsumer, "end_offsets", ["self", "partitions"]),
    (faust_consumer.ThreadDelegateConsumer, "_getmany", ["self", "active_partitions", "timeout"]),
    (faust.Stream, "take_events", ["self", "max_", "within"]),                      # CommitGate.batches
    (faust_consumer.TransactionManager, "_tps_to_transactional_ids", ["self", "tps"]),  # the id test
]


@pytest.mark.parametrize(("owner", "name", "parameters"), CALLED, ids=lambda v: getattr(v, "__name__", None))
def test_the_methods_the_patches_call_have_their_parameters(owner: type, name: str, parameters: list[str]) -> None:
    assert _method_parameters(owner, name) == parameters


def test_the_current_event_is_the_context_variable_handling_sets() -> None:
    assert isinstance(faust.streams._current_event, contextvars.ContextVar)

    class Event:
        pass

    event = Event()
    token = faust.streams._current_event.set(weakref.ref(event))
    try:
        assert faust.current_event() is event
    finally:
        faust.streams._current_event.reset(token)


def test_the_consumer_state_the_patches_read_is_there() -> None:
    app = faust.App("internals-test", broker="casualty+kafka://127.0.0.1:1", autodiscover=False)
    consumer = app.consumer
    # ReadOffsetSafeConsumer.getmany pops a partition's read offset; Faust's fetch loop reads it
    # with a None default (a defaultdict).
    assert isinstance(consumer._read_offset, MutableMapping)
    assert consumer._read_offset[TP("never-read", 0)] is None
    # GatedConsumer.highwaters calls the consumer thread.
    assert isinstance(consumer._thread, faust_aiokafka.AIOKafkaConsumerThread)
    # CommitGate drops a stale message from the set Faust's streams add unacked messages to.
    assert consumer.unacked is consumer._unacked_messages
    assert app.consumer_generation_id == 0
    assert isinstance(app.tables.changelog_topics, set)
    message = faust_consumer.ConsumerMessage("t", 0, 5, 0.0, 0, None, b"k", b"v", None, 1, 1, TP("t", 0),
                                             generation_id=3)
    assert (message.acked, message.generation_id, message.tp) == (False, 3, TP("t", 0))


def test_faust_names_transactions_the_way_source_partition_transactions_does() -> None:
    # SourcePartitionTransactions formats the id with Faust's own format; Faust's commit and its
    # rebalance (which starts and stops the producers) must use the same naming.
    manager = faust_consumer.TransactionManager
    assert manager.transactional_id_format == "{group_id}-{tpg.group}-{tpg.partition}"
    assert faust_consumer.TopicPartitionGroup._fields == ("topic", "partition", "group")
    assert 'f"{group_id}-{group}-{tp.partition}"' in inspect.getsource(manager.commit)
    assert "self._tps_to_transactional_ids(assigned)" in inspect.getsource(manager.on_rebalance)


def _source(function: Callable[..., Any]) -> str:
    return inspect.getsource(function)


def test_faust_behaves_as_the_patches_assume() -> None:
    # DrainingProducer.flush: under at_least_once Faust flushes the producer after it has taken
    # the acked offsets and before it commits them.
    commit_offsets = _source(faust_consumer.Consumer._commit_offsets)
    assert commit_offsets.index("await self.app.producer.flush()") < commit_offsets.index("self._commit(")
    # DrainingProducer.send_soon: table changelog records reach the producer through send_soon.
    assert "self.app.producer.send_soon(fut)" in _source(Topic.send_soon)
    assert "self.changelog_topic.send_soon(" in _source(faust.tables.base.Collection.send_changelog)
    # ReadOffsetSafeConsumer: recovery resumes the stream partitions, then seeks them.
    for step in (Recovery._resume_streams,):
        source = _source(step)
        assert source.index("consumer.resume_partitions(") < source.index("consumer.perform_seek()")
    # ...and Faust's fetch loop keeps its read offsets in _read_offset, fetching through getmany.
    drain = _source(faust_consumer.Consumer._drain_messages)
    assert "getmany = self.getmany" in drain and "self._read_offset.__setitem__" in drain
    # ...and hands the live set of active partitions to _getmany.
    assert "records = await self._getmany(" in _source(faust_consumer.Consumer._wait_next_records)
    # GatedConsumer.highwaters: recovery reads changelog ends through consumer.highwaters.
    assert "await consumer.highwaters(*tps)" in _source(Recovery._build_highwaters)
    # Producer.__post_init__ (DrainingProducer's) runs when mode builds the service.
    assert "self.__post_init__()" in _source(mode.Service.__init__)
