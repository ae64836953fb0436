"""One consumer-group member on kafka-python, for the group scenario.

argv[1]: {bootstrap, topic, group, delay_ms?}. Events (stdout, JSON lines): assigned, revoked,
consumed {partition, offset, key, value}, commit_failed, closed. Commands (stdin): stop.
Each message's offset is committed synchronously before it counts as consumed; after a failed
commit the partition's remaining records are dropped until the next assignment, which restarts
from the committed offset."""
import threading
import time

from kafka import ConsumerRebalanceListener, KafkaConsumer, OffsetAndMetadata
from kafka.errors import KafkaError

from e2e_common import emit, read_config, text, watch_stdin

cfg = read_config()
topic = cfg["topic"]
delay = cfg.get("delay_ms", 5) / 1000.0
stop = threading.Event()
watch_stdin(lambda cmd: stop.set() if cmd.get("cmd") == "stop" else None)
blocked = set()


class Listener(ConsumerRebalanceListener):
    def on_partitions_revoked(self, revoked):
        emit({"event": "revoked", "partitions": sorted(tp.partition for tp in revoked)})

    def on_partitions_assigned(self, assigned):
        blocked.clear()
        emit({"event": "assigned", "partitions": sorted(tp.partition for tp in assigned)})


consumer = KafkaConsumer(
    bootstrap_servers=cfg["bootstrap"],
    group_id=cfg["group"],
    client_id=cfg.get("name", "member"),
    enable_auto_commit=False,
    auto_offset_reset="earliest",
    session_timeout_ms=10000,
    heartbeat_interval_ms=300,
    max_poll_interval_ms=60000,
    fetch_max_wait_ms=100,
    metadata_max_age_ms=2000,
)
consumer.subscribe([topic], listener=Listener())
while not stop.is_set():
    for tp, records in consumer.poll(timeout_ms=100).items():
        for r in records:
            if tp.partition in blocked:
                break
            if delay:
                time.sleep(delay)
            try:
                consumer.commit({tp: OffsetAndMetadata(r.offset + 1, None)})
            except KafkaError as err:
                blocked.add(tp.partition)
                emit({"event": "commit_failed", "partition": tp.partition, "offset": r.offset, "error": f"{type(err).__name__}: {err}"})
                break
            emit({"event": "consumed", "partition": r.partition, "offset": r.offset, "key": text(r.key), "value": text(r.value)})
consumer.close(autocommit=False)
emit({"event": "closed"})
