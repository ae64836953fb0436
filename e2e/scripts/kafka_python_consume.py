"""Read a topic with kafka-python (assign, no group) from "beginning" or a timestamp (ms,
offsets_for_times) up to the end offsets taken at start: {bootstrap, topic, start?} ->
{"messages": [...], "start_offsets": {p: offset}}."""
import time

from kafka import KafkaConsumer, TopicPartition

from e2e_common import emit, headers_dict, read_config, text

cfg = read_config()
topic = cfg["topic"]
consumer = KafkaConsumer(bootstrap_servers=cfg["bootstrap"], group_id=None, enable_auto_commit=False, fetch_max_wait_ms=100)
partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
consumer.assign(partitions)
ends = consumer.end_offsets(partitions)
start = cfg.get("start", "beginning")
if start == "beginning":
    consumer.seek_to_beginning(*partitions)
else:
    found = consumer.offsets_for_times({tp: int(start) for tp in partitions})
    for tp in partitions:
        consumer.seek(tp, found[tp].offset if found[tp] is not None else ends[tp])
start_offsets = {str(tp.partition): consumer.position(tp) for tp in partitions}
messages = []
deadline = time.time() + cfg.get("timeout_s", 30)
while any(consumer.position(tp) < ends[tp] for tp in partitions) and time.time() < deadline:
    for tp, records in consumer.poll(timeout_ms=200).items():
        for r in records:
            messages.append({
                "partition": r.partition, "offset": r.offset, "key": text(r.key), "value": text(r.value),
                "headers": headers_dict(r.headers), "timestamp": r.timestamp,
            })
for tp, records in consumer.poll(timeout_ms=300).items():  # anything more would be a duplicate
    messages.extend({"partition": r.partition, "offset": r.offset, "key": text(r.key), "value": text(r.value)} for r in records)
consumer.close()
emit({"messages": messages, "start_offsets": start_offsets})
