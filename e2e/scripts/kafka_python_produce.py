"""Produce with kafka-python: {bootstrap, topic, messages, codec?} ->
{"delivered": [{key, value, partition, offset}], "errors": [...]}, in send order."""
from kafka import KafkaProducer

from e2e_common import emit, read_config

cfg = read_config()
codec = cfg.get("codec", "none")
producer = KafkaProducer(
    bootstrap_servers=cfg["bootstrap"],
    acks="all",
    linger_ms=5,
    compression_type=None if codec == "none" else codec,
    max_in_flight_requests_per_connection=1,
)
futures = []
for m in cfg["messages"]:
    futures.append((m, producer.send(
        cfg["topic"],
        key=None if m.get("key") is None else m["key"].encode(),
        value=m["value"].encode(),
        headers=[(k, v.encode()) for k, v in (m.get("headers") or {}).items()],
        partition=m.get("partition"),
        timestamp_ms=m.get("timestamp"),
    )))
producer.flush(60)
delivered, errors = [], []
for m, f in futures:
    try:
        md = f.get(timeout=30)
        delivered.append({"key": m.get("key"), "value": m["value"], "partition": md.partition, "offset": md.offset})
    except Exception as err:  # noqa: BLE001 - every failed send is reported
        errors.append(f"{type(err).__name__}: {err}")
producer.close(10)
emit({"delivered": delivered, "errors": errors})
