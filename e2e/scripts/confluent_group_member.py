"""One consumer-group member on confluent-kafka (librdkafka), for the group scenario.

argv[1]: {bootstrap, topic, group, delay_ms?}. Events (stdout, JSON lines): assigned, revoked,
consumed {partition, offset, key, value}, commit_failed, closed. Commands (stdin): stop.
Each message's offset is committed synchronously before it counts as consumed; after a failed
commit the partition's messages are dropped until the next assignment, which restarts from the
committed offset (eager rebalance protocol)."""
import threading
import time

from confluent_kafka import Consumer, KafkaException, TopicPartition

from e2e_common import emit, read_config, text, watch_stdin

cfg = read_config()
topic = cfg["topic"]
delay = cfg.get("delay_ms", 5) / 1000.0
stop = threading.Event()
watch_stdin(lambda cmd: stop.set() if cmd.get("cmd") == "stop" else None)

consumer = Consumer({
    "bootstrap.servers": cfg["bootstrap"],
    "group.id": cfg["group"],
    "client.id": cfg.get("name", "member"),
    "enable.auto.commit": False,
    "auto.offset.reset": "earliest",
    "session.timeout.ms": 10000,
    "heartbeat.interval.ms": 300,
    "max.poll.interval.ms": 60000,
    "fetch.wait.max.ms": 100,
    "topic.metadata.refresh.interval.ms": 2000,
})
blocked = set()


def on_assign(c, partitions):
    blocked.clear()
    emit({"event": "assigned", "partitions": sorted(tp.partition for tp in partitions)})


def on_revoke(c, partitions):
    emit({"event": "revoked", "partitions": sorted(tp.partition for tp in partitions)})


consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
while not stop.is_set():
    msg = consumer.poll(0.1)
    if msg is None:
        continue
    if msg.error():
        emit({"event": "error", "error": str(msg.error())})
        continue
    p = msg.partition()
    if p in blocked:
        continue
    if delay:
        time.sleep(delay)
    try:
        result = consumer.commit(offsets=[TopicPartition(topic, p, msg.offset() + 1)], asynchronous=False)
        failed = [str(tp.error) for tp in result or [] if tp.error is not None]
    except KafkaException as err:
        failed = [str(err)]
    if failed:
        blocked.add(p)
        emit({"event": "commit_failed", "partition": p, "offset": msg.offset(), "error": failed})
        continue
    emit({"event": "consumed", "partition": p, "offset": msg.offset(), "key": text(msg.key()), "value": text(msg.value())})
consumer.close()
emit({"event": "closed"})
