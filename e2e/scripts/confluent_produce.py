"""Produce with confluent-kafka (librdkafka): {bootstrap, topic, messages, codec?, config?,
progress?, pace_ms?} -> {"delivered": [{key, value, partition, offset}], "errors": [...]}.
Messages go out in order; only acknowledged ones (delivery report without error) are listed.
With progress, every delivery report is also printed as a {"event": "delivered", ...} line as it
comes; pace_ms sleeps that long after every 10 messages (so a test can act in the middle)."""
import time

from confluent_kafka import Producer

from e2e_common import emit, read_config, text

cfg = read_config()
conf = {
    "bootstrap.servers": cfg["bootstrap"],
    "enable.idempotence": False,
    "acks": "all",
    "linger.ms": 5,
    "compression.codec": cfg.get("codec", "none"),
}
conf.update(cfg.get("config", {}))
producer = Producer(conf)
delivered, errors = [], []


def report(err, msg):
    if err is not None:
        errors.append(str(err))
        if cfg.get("progress"):
            emit({"event": "failed", "error": str(err)})
    else:
        d = {"key": text(msg.key()), "value": text(msg.value()), "partition": msg.partition(), "offset": msg.offset()}
        delivered.append(d)
        if cfg.get("progress"):
            emit({"event": "delivered", **d})


for i, m in enumerate(cfg["messages"]):
    if cfg.get("pace_ms") and i % 10 == 9:
        producer.poll(cfg["pace_ms"] / 1000.0)
    kwargs = {"value": m["value"].encode(), "on_delivery": report}
    if m.get("key") is not None:
        kwargs["key"] = m["key"].encode()
    if m.get("headers"):
        kwargs["headers"] = [(k, v.encode()) for k, v in m["headers"].items()]
    if m.get("partition") is not None:
        kwargs["partition"] = m["partition"]
    if m.get("timestamp") is not None:
        kwargs["timestamp"] = m["timestamp"]
    while True:
        try:
            producer.produce(cfg["topic"], **kwargs)
            break
        except BufferError:
            producer.poll(0.1)
    producer.poll(0)
left = producer.flush(cfg.get("flush_s", 60))
emit({"delivered": delivered, "errors": errors, "undelivered": left})
