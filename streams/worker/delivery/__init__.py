"""Delivery guarantees of the worker: every patch to Faust's consumer, producer and transactions.

Every use of Faust's (and aiokafka's) internals lives in this sub-package; a change here touches
how records are read, sent and committed, never what the worker computes. The patches are written
and tested for faust-streaming 0.15.3, aiokafka 0.14.0 and mode-streaming 0.7.1 (pinned in
pyproject.toml); ``tests/test_delivery_internals.py`` fails when a Faust or aiokafka name they
override or read disappears or changes its parameters.

One entry point, :class:`~streams.worker.delivery.transport.Transport`, registered as the Faust
transport ``casualty+kafka://`` (entry point group ``faust.transports`` in pyproject.toml): the
worker's app names it in its ``broker`` URLs and nothing else changes in Faust.

=============================  ==========================================  =================
module                         patch                                       guarantee
=============================  ==========================================  =================
``consumer``                   read from the committed offset after a      both
                               rebalance (``ReadOffsetSafeConsumer``)
``consumer``/``producer``      commit only once the table changelog        both
                               records are published (``DrainingConsumer``,
                               ``DrainingProducer``)
``consumer``/``gate``          commit only between messages, commit on     exactly_once
                               revocation, changelog highwaters from the
                               broker (``GatedConsumer``, ``CommitGate``)
``gate``                       each offset once per generation             exactly_once
``gate``                       drop messages a rebalance made stale        both
``gate``                       the current event of a batch (``handling``) both
``transactions``               send in the source partition's transaction  exactly_once
=============================  ==========================================  =================

The agents use :func:`commit_gate`, :func:`handling` and :func:`wait_table_writes`; the app uses
:data:`SCHEME`.
"""

from streams.worker.delivery.gate import CommitGate, commit_gate, handling
from streams.worker.delivery.producer import wait_table_writes
from streams.worker.delivery.transport import SCHEME, Transport

__all__ = ["SCHEME", "CommitGate", "Transport", "commit_gate", "handling", "wait_table_writes"]
