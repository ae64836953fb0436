"""Capture scenario for confluent-kafka-python (on librdkafka; run with Debian's /usr/bin/python3).

Run by capture.ts with BOOTSTRAP (the capture proxy), TOPIC, TXN_TOPIC, MULTI_TOPIC and GROUP in
the environment. Each step prints "STEP <name> ok" or "STEP <name> failed: <why>"; a failing
step does not stop the scenario. Client settings are librdkafka's defaults except where noted.
"""
import os
import sys
import time
import traceback

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

B = os.environ["BOOTSTRAP"]
TOPIC = os.environ["TOPIC"]
TXN_TOPIC = os.environ["TXN_TOPIC"]
MULTI_TOPIC = os.environ["MULTI_TOPIC"]
GROUP = os.environ["GROUP"]


def step(name, fn):
    try:
        result = fn()
        print(f"STEP {name} ok", flush=True)
        if result is not None:
            print(f"  [{name}] {result!r}"[:400], flush=True)
    except BaseException as err:  # noqa: BLE001 - report every failure and go on
        print(f"STEP {name} failed: {type(err).__name__}: {err}"[:300], flush=True)
        traceback.print_exc(limit=3, file=sys.stdout)


def wait_all(futures, timeout=10):
    """Admin futures: first error wins."""
    return {k: f.result(timeout=timeout) for k, f in futures.items()}


admin = AdminClient({"bootstrap.servers": B})

# --- admin: the mock implements none of these but Metadata; the proxy advertises them ---
step("admin-list-topics", lambda: sorted(admin.list_topics(timeout=10).topics))
step("admin-create-topics", lambda: wait_all(admin.create_topics(
    [NewTopic("created-by-confluent-kafka", num_partitions=3, replication_factor=1,
              config={"cleanup.policy": "compact"})], operation_timeout=5, request_timeout=5)))
step("admin-describe-configs", lambda: wait_all(admin.describe_configs(
    [ConfigResource(ConfigResource.Type.TOPIC, TOPIC), ConfigResource(ConfigResource.Type.BROKER, "1")],
    request_timeout=5)))
step("admin-alter-configs", lambda: wait_all(admin.alter_configs(
    [ConfigResource(ConfigResource.Type.TOPIC, TOPIC, set_config={"retention.ms": "3600000"})], request_timeout=5)))
step("admin-create-partitions", lambda: wait_all(admin.create_partitions(
    [NewPartitions(MULTI_TOPIC, 4)], operation_timeout=5, request_timeout=5)))
step("admin-list-groups", lambda: admin.list_groups(timeout=5))
step("admin-delete-topics", lambda: wait_all(admin.delete_topics(
    ["created-by-confluent-kafka"], operation_timeout=5, request_timeout=5)))


# --- produce: keys, headers, every codec librdkafka supports ---
def produce(codec, **extra):
    def run():
        conf = {"bootstrap.servers": B, "compression.codec": codec, **extra}
        producer = Producer(conf)
        reports = []

        def on_delivery(err, msg):
            reports.append(err or msg.offset())

        producer.produce(TOPIC, key=f"key-{codec}-1", value=f"value one ({codec})",
                         headers=[("source", b"confluent-kafka"), ("codec", codec.encode())], on_delivery=on_delivery)
        producer.produce(TOPIC, key=f"key-{codec}-2", value=f"value two ({codec})", on_delivery=on_delivery)
        producer.produce(TOPIC, value="value without key", headers={"empty": None}, on_delivery=on_delivery)
        remaining = producer.flush(10)
        if remaining or any(isinstance(r, Exception) or not isinstance(r, int) for r in reports):
            raise RuntimeError(f"delivery failed: {reports} ({remaining} left)")
        return reports
    return run


for codec in ["none", "gzip", "snappy", "lz4", "zstd"]:
    step(f"produce-{codec}", produce(codec))
step("produce-idempotent", produce("none", **{"enable.idempotence": True}))


def produce_partitions():
    producer = Producer({"bootstrap.servers": B})
    for i in range(4):
        producer.produce(MULTI_TOPIC, key=f"k{i}", value=f"v{i}")
    if producer.flush(10):
        raise RuntimeError("not delivered")


step("produce-partitions", produce_partitions)


# --- transactions: InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn ---
def transaction(commit):
    def run():
        producer = Producer({"bootstrap.servers": B, "transactional.id": f"confluent-kafka-txn-{commit}"})
        producer.init_transactions(10)
        producer.begin_transaction()
        producer.produce(TXN_TOPIC, key="txn-key", value=f"in a transaction (commit={commit})",
                         headers=[("txn", b"1")])
        consumer = Consumer({"bootstrap.servers": B, "group.id": GROUP + "-txn"})
        producer.send_offsets_to_transaction([TopicPartition(TOPIC, 0, 1)], consumer.consumer_group_metadata(), 10)
        consumer.close()
        if commit:
            producer.commit_transaction(10)
        else:
            producer.abort_transaction(10)
    return run


step("transaction-commit", transaction(True))
step("transaction-abort", transaction(False))


# --- consume without a group: assign, fetch, list offsets ---
def consume_assigned():
    consumer = Consumer({"bootstrap.servers": B, "group.id": GROUP + "-assign", "enable.partition.eof": True})
    tp = TopicPartition(TOPIC, 0, 0)
    consumer.assign([tp])
    messages = []
    deadline = time.time() + 10
    while time.time() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            break  # partition EOF
        messages.append((msg.offset(), msg.key(), msg.headers()))
    low_high = consumer.get_watermark_offsets(TopicPartition(TOPIC, 0), timeout=5, cached=False)
    by_time = consumer.offsets_for_times([TopicPartition(TOPIC, 0, int(time.time() * 1000) - 600_000)], timeout=5)
    consumer.close()
    return (len(messages), low_high, [(p.partition, p.offset) for p in by_time])


step("consume-assigned", consume_assigned)


# --- consumer group: join, sync, heartbeat, fetch, commit, offset fetch, leave ---
def consume_group(reset):
    def run():
        consumer = Consumer({
            "bootstrap.servers": B, "group.id": GROUP, "auto.offset.reset": reset,
            "enable.auto.commit": False, "enable.partition.eof": True,
            # The mock keeps a member that left until its session times out (45 s by default).
            "session.timeout.ms": 6000,
        })
        consumer.subscribe([TOPIC, MULTI_TOPIC])
        count = 0
        eof = set()
        deadline = time.time() + 15
        while time.time() < deadline and len(eof) < 4:
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                eof.add((msg.topic(), msg.partition()))
                continue
            count += 1
        consumer.commit(asynchronous=False) if count else None
        committed = consumer.committed([TopicPartition(TOPIC, 0)], timeout=5)
        consumer.close()  # LeaveGroup
        return (count, [(p.partition, p.offset) for p in committed])
    return run


step("group-consume", consume_group("earliest"))
step("group-consume-again", consume_group("latest"))
step("admin-list-groups-after", lambda: admin.list_groups(timeout=5))
