"""The ceiling: a raw aiokafka consume -> produce loop over the same messages, nothing else.

No decoding, no extraction, no tables: each record of ``--source`` is sent unchanged to
``--target`` in a consumer group, with the producer settings the worker uses (acks=all) and
offsets committed every second after the sends are acknowledged, as Faust does under
``at_least_once``. It runs as its own process, like the worker, so both get the same CPU.

    python -m bench.passthrough --bootstrap HOST:PORT --source T --target T2 --count N
"""

from __future__ import annotations

import argparse
import asyncio
import time

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

COMMIT_INTERVAL_S = 1.0


async def passthrough(bootstrap: str, source: str, target: str, count: int, group: str) -> int:
    """Copy records from ``source`` to ``target`` until ``count`` were copied; return how many."""
    consumer = AIOKafkaConsumer(
        source, bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
        auto_offset_reset="earliest", max_poll_records=1000,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    await consumer.start()
    await producer.start()
    copied = 0
    last_commit = time.monotonic()
    try:
        while copied < count:
            batch = await consumer.getmany(timeout_ms=500, max_records=1000)
            pending = []
            for records in batch.values():
                for record in records:
                    # send() only queues the record; the batch's deliveries are awaited below.
                    pending.append(await producer.send(target, value=record.value, key=record.key))
                    copied += 1
            # Acknowledged before the offsets move on: nothing is lost if we die (at_least_once).
            await asyncio.gather(*pending)
            if time.monotonic() - last_commit >= COMMIT_INTERVAL_S or copied >= count:
                await consumer.commit()
                last_commit = time.monotonic()
    finally:
        await producer.stop()
        await consumer.stop()
    return copied


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.passthrough", description=__doc__.split("\n")[0])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--group", default="bench-passthrough")
    args = parser.parse_args(argv)
    copied = asyncio.run(passthrough(args.bootstrap, args.source, args.target, args.count, args.group))
    print(copied)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
