"""Capture scenario for kafka-python (run with Debian's /usr/bin/python3).

Run by capture.ts with BOOTSTRAP (the capture proxy), TOPIC, TXN_TOPIC, MULTI_TOPIC and GROUP in
the environment. Each step prints "STEP <name> ok" or "STEP <name> failed: <why>"; a failing
step does not stop the scenario. Client settings are kafka-python's defaults except where noted.
"""
import os
import signal
import sys
import time
import traceback

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewPartitions, NewTopic

B = os.environ["BOOTSTRAP"]
TOPIC = os.environ["TOPIC"]
MULTI_TOPIC = os.environ["MULTI_TOPIC"]
GROUP = os.environ["GROUP"]
STEP_TIMEOUT = 20


class StepTimeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise StepTimeout(f"step took longer than {STEP_TIMEOUT}s")


signal.signal(signal.SIGALRM, _alarm)


def step(name, fn):
    signal.alarm(STEP_TIMEOUT)
    try:
        result = fn()
        signal.alarm(0)
        print(f"STEP {name} ok", flush=True)
        if result is not None:
            print(f"  [{name}] {result!r}"[:400], flush=True)
    except BaseException as err:  # noqa: BLE001 - report every failure and go on
        signal.alarm(0)
        print(f"STEP {name} failed: {type(err).__name__}: {err}"[:300], flush=True)
        traceback.print_exc(limit=3, file=sys.stdout)


admin = None


def admin_client():
    global admin
    if admin is None:
        admin = KafkaAdminClient(bootstrap_servers=B, request_timeout_ms=5000)
    return admin


# --- admin (the mock implements none of these; the proxy advertises them, the mock hangs up) ---
step("admin-list-topics", lambda: admin_client().list_topics())
step("admin-describe-cluster", lambda: admin_client().describe_cluster())
step("admin-create-topics", lambda: admin_client().create_topics([NewTopic("created-by-kafka-python", 3, 1)], timeout_ms=3000))
step("admin-describe-configs", lambda: admin_client().describe_configs([ConfigResource(ConfigResourceType.TOPIC, TOPIC)]))
step("admin-create-partitions", lambda: admin_client().create_partitions({MULTI_TOPIC: NewPartitions(4)}, timeout_ms=3000))
step("admin-list-groups", lambda: admin_client().list_consumer_groups())
step("admin-delete-topics", lambda: admin_client().delete_topics(["created-by-kafka-python"], timeout_ms=3000))
if admin is not None:
    admin.close()


# --- produce: keys, headers, every codec kafka-python supports ---
def produce(codec, **extra):
    def run():
        producer = KafkaProducer(bootstrap_servers=B, compression_type=None if codec == "none" else codec, **extra)
        futures = [
            producer.send(TOPIC, key=f"key-{codec}-1".encode(), value=f"value one ({codec})".encode(),
                          headers=[("source", b"kafka-python"), ("codec", codec.encode())]),
            producer.send(TOPIC, key=f"key-{codec}-2".encode(), value=f"value two ({codec})".encode()),
            producer.send(TOPIC, key=None, value=b"value without key"),
        ]
        producer.flush()
        offsets = [f.get(timeout=10).offset for f in futures]
        producer.close()
        return offsets
    return run


for codec in ["none", "gzip", "snappy", "lz4", "zstd"]:
    step(f"produce-{codec}", produce(codec))
step("produce-acks-all", produce("none", acks="all"))


def produce_partitions():
    producer = KafkaProducer(bootstrap_servers=B)
    for i in range(4):
        producer.send(MULTI_TOPIC, key=f"k{i}".encode(), value=f"v{i}".encode())
    producer.flush()
    producer.close()


step("produce-partitions", produce_partitions)


# --- consume without a group: assign, seek, fetch, list offsets ---
def consume_assigned():
    consumer = KafkaConsumer(bootstrap_servers=B, consumer_timeout_ms=3000)
    tp = TopicPartition(TOPIC, 0)
    consumer.assign([tp])
    consumer.seek_to_beginning(tp)
    messages = [(m.offset, m.key, m.value, m.headers) for m in consumer]
    beginning = consumer.beginning_offsets([tp])
    end = consumer.end_offsets([tp])
    by_time = consumer.offsets_for_times({tp: int(time.time() * 1000) - 600_000})
    consumer.close()
    return (len(messages), beginning, end, by_time)


step("consume-assigned", consume_assigned)


# --- consumer group: join, sync, heartbeat, fetch, commit, offset fetch, leave ---
def consume_group():
    consumer = KafkaConsumer(TOPIC, MULTI_TOPIC, bootstrap_servers=B, group_id=GROUP,
                             auto_offset_reset="earliest", enable_auto_commit=False, consumer_timeout_ms=5000,
                             session_timeout_ms=6000, heartbeat_interval_ms=1000)
    count = sum(1 for _ in consumer)
    consumer.commit()
    committed = consumer.committed(TopicPartition(TOPIC, 0))
    consumer.close()  # LeaveGroup
    return (count, committed)


step("group-consume", consume_group)


def consume_group_again():
    consumer = KafkaConsumer(TOPIC, bootstrap_servers=B, group_id=GROUP, consumer_timeout_ms=3000,
                             session_timeout_ms=6000, heartbeat_interval_ms=1000)
    count = sum(1 for _ in consumer)
    consumer.close()
    return count


step("group-consume-again", consume_group_again)


def admin_call(fn):
    def run():
        a = KafkaAdminClient(bootstrap_servers=B, request_timeout_ms=5000)
        try:
            return fn(a)
        finally:
            a.close()
    return run


step("admin-list-group-offsets", admin_call(lambda a: a.list_consumer_group_offsets(GROUP)))
step("admin-describe-groups", admin_call(lambda a: a.describe_consumer_groups([GROUP])))
step("admin-delete-groups", admin_call(lambda a: a.delete_consumer_groups([GROUP])))
