#!/usr/bin/python3
"""Client side of the broker benchmark (bench/src/broker/broker.bench.ts), on confluent-kafka
(Debian's python3-confluent-kafka, i.e. librdkafka). Run it with /usr/bin/python3: the pyenv
python3 on PATH cannot see apt's modules.

Subcommands (each prints one JSON object on stdout; timings are its own, with perf_counter):

  produce  BOOTSTRAP TOPIC COUNT SIZE ACKS   produce COUNT values of SIZE bytes as fast as possible
  consume  BOOTSTRAP TOPIC EXPECTED           read every partition from the beginning to EXPECTED messages
  latency  BOOTSTRAP TOPIC RATE SECONDS SIZE  produce at a fixed RATE (msg/s), acks=all, linger.ms=0;
                                              time from produce() to the delivery report
  offsets  BOOTSTRAP TOPIC                    the high watermark of every partition
  create   BOOTSTRAP PARTITIONS TOPIC...      create topics (CreateTopics) and wait until they are in Metadata
"""
import json
import resource
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


def out(obj):
    # CPU time of this process (the Python thread and librdkafka's threads), seconds.
    ru = resource.getrusage(resource.RUSAGE_SELF)
    obj["client_cpu_seconds"] = ru.ru_utime + ru.ru_stime
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def produce(bootstrap, topic, count, size, acks, extra):
    conf = {
        "bootstrap.servers": bootstrap,
        "acks": acks,
        "linger.ms": 5,
        "batch.num.messages": 10000,
        "queue.buffering.max.kbytes": 1048576,
        "queue.buffering.max.messages": 1000000,
        "enable.idempotence": False,
    }
    conf.update(extra)
    errors = [0]
    delivered = [0]

    def on_delivery(err, msg):
        if err is not None:
            errors[0] += 1
        else:
            delivered[0] += 1

    p = Producer(conf)
    # Metadata first, so that the timed part does not include topic creation.
    p.list_topics(topic, timeout=30)
    value = b"x" * size
    t0 = time.perf_counter()
    i = 0
    while i < count:
        try:
            p.produce(topic, value, on_delivery=on_delivery)
            i += 1
        except BufferError:
            p.poll(0.001)
            continue
        if i & 1023 == 0:
            p.poll(0)
    remaining = p.flush(120)
    t1 = time.perf_counter()
    out({"seconds": t1 - t0, "messages": delivered[0], "errors": errors[0], "undelivered": remaining, "bytes": delivered[0] * size})


def consume(bootstrap, topic, expected, extra):
    conf = {
        "bootstrap.servers": bootstrap,
        "group.id": "bench-%d" % time.time_ns(),
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "enable.partition.eof": False,
        "fetch.max.bytes": 52428800,
        "max.partition.fetch.bytes": 10485760,
        "queued.max.messages.kbytes": 262144,
    }
    conf.update(extra)
    c = Consumer(conf)
    md = c.list_topics(topic, timeout=30)
    parts = sorted(md.topics[topic].partitions.keys())
    # assign() with OFFSET_BEGINNING: no group join, no rebalance delay.
    c.assign([TopicPartition(topic, p, -2) for p in parts])
    n = 0
    nbytes = 0
    t0 = None
    deadline = time.monotonic() + 600
    while n < expected and time.monotonic() < deadline:
        msgs = c.consume(num_messages=10000, timeout=1.0)
        if t0 is None and msgs:
            t0 = time.perf_counter()
        for m in msgs:
            if m.error() is not None:
                raise KafkaException(m.error())
            nbytes += len(m.value())
        n += len(msgs)
    t1 = time.perf_counter()
    c.close()
    out({"seconds": t1 - (t0 or t1), "messages": n, "bytes": nbytes})


def latency(bootstrap, topic, rate, seconds, size, extra):
    conf = {
        "bootstrap.servers": bootstrap,
        "acks": "all",
        "linger.ms": 0,
        "enable.idempotence": False,
    }
    conf.update(extra)
    p = Producer(conf)
    p.list_topics(topic, timeout=30)
    # Warm the connections to every partition leader (one broker) before measuring.
    for _ in range(10):
        p.produce(topic, b"w" * size)
    p.flush(30)
    lat = []
    errors = [0]
    value = b"x" * size
    total = int(rate * seconds)
    interval = 1.0 / rate
    clock = time.perf_counter

    def make_cb(t0):
        def cb(err, msg):
            if err is not None:
                errors[0] += 1
            else:
                lat.append(clock() - t0)
        return cb

    start = clock()
    behind = 0.0
    for i in range(total):
        due = start + i * interval
        while True:
            wait = due - clock()
            if wait <= 0:
                break
            # Serves delivery reports as they arrive (returns early on one). At least 1 ms: librdkafka
            # takes whole milliseconds, and a 0 ms poll would spin and take a core from the broker.
            p.poll(max(wait, 0.001))
        behind = max(behind, clock() - due)
        p.produce(topic, value, on_delivery=make_cb(clock()))
    p.flush(60)
    end = clock()
    lat.sort()

    def pct(q):
        if not lat:
            return None
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000.0

    out({
        "sent": total,
        "delivered": len(lat),
        "errors": errors[0],
        "seconds": end - start,
        "rate": rate,
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "p999_ms": pct(0.999),
        "max_ms": lat[-1] * 1000.0 if lat else None,
        "min_ms": lat[0] * 1000.0 if lat else None,
        "mean_ms": (sum(lat) / len(lat) * 1000.0) if lat else None,
        "max_send_lag_ms": behind * 1000.0,
    })


def offsets(bootstrap, topic):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-offsets"})
    md = c.list_topics(topic, timeout=30)
    result = {}
    for part in sorted(md.topics[topic].partitions.keys()):
        lo, hi = c.get_watermark_offsets(TopicPartition(topic, part), timeout=30)
        result[str(part)] = [lo, hi]
    c.close()
    out({"partitions": result, "total": sum(hi - lo for lo, hi in result.values())})


def create(bootstrap, partitions, topics):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(t, num_partitions=partitions, replication_factor=1) for t in topics], operation_timeout=30)
    for t, f in futures.items():
        f.result(30)
    deadline = time.monotonic() + 30
    while True:
        md = admin.list_topics(timeout=30)
        ready = all(t in md.topics and md.topics[t].error is None and len(md.topics[t].partitions) == partitions for t in topics)
        if ready or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    out({"created": topics, "partitions": partitions, "ready": ready})


def parse_extra(args):
    extra = {}
    for a in args:
        k, _, v = a.partition("=")
        extra[k] = v
    return extra


def main(argv):
    cmd = argv[1]
    if cmd == "produce":
        produce(argv[2], argv[3], int(argv[4]), int(argv[5]), argv[6], parse_extra(argv[7:]))
    elif cmd == "consume":
        consume(argv[2], argv[3], int(argv[4]), parse_extra(argv[5:]))
    elif cmd == "latency":
        latency(argv[2], argv[3], float(argv[4]), float(argv[5]), int(argv[6]), parse_extra(argv[7:]))
    elif cmd == "create":
        create(argv[2], int(argv[3]), argv[4:])
    elif cmd == "offsets":
        offsets(argv[2], argv[3])
    else:
        raise SystemExit("unknown subcommand " + cmd)


if __name__ == "__main__":
    main(sys.argv)
