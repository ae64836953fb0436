"""Read a topic with confluent-kafka (plain assign, no group) from `start` ("beginning" or a
timestamp in ms, looked up with offsets_for_times) up to the high watermarks taken at start:
{bootstrap, topic, start?} -> {"messages": [...], "start_offsets": {p: offset}}."""
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from e2e_common import emit, headers_dict, read_config, text

cfg = read_config()
topic = cfg["topic"]
consumer = Consumer({
    "bootstrap.servers": cfg["bootstrap"],
    "group.id": "e2e-reader",
    "enable.auto.commit": False,
    "enable.partition.eof": False,
    "fetch.wait.max.ms": 100,
})
partitions = sorted(consumer.list_topics(topic, timeout=10).topics[topic].partitions)
ends = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in partitions}
start = cfg.get("start", "beginning")
if start == "beginning":
    assignment = [TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions]
else:
    assignment = consumer.offsets_for_times([TopicPartition(topic, p, int(start)) for p in partitions], timeout=10)
start_offsets = {str(tp.partition): tp.offset for tp in assignment}
consumer.assign(assignment)

messages, positions = [], {}
for tp in assignment:
    positions[tp.partition] = 0 if tp.offset == OFFSET_BEGINNING else (ends[tp.partition] if tp.offset < 0 else tp.offset)
deadline = time.time() + cfg.get("timeout_s", 30)
while any(positions[p] < ends[p] for p in partitions) and time.time() < deadline:
    msg = consumer.poll(0.2)
    if msg is None:
        continue
    if msg.error():
        raise SystemExit(f"consume error: {msg.error()}")
    ts_type, ts = msg.timestamp()
    messages.append({
        "partition": msg.partition(), "offset": msg.offset(), "key": text(msg.key()), "value": text(msg.value()),
        "headers": headers_dict(msg.headers()), "timestamp": ts,
    })
    positions[msg.partition()] = msg.offset() + 1
# anything more would be a duplicate: give it a moment to show up
end_wait = time.time() + 0.3
while time.time() < end_wait:
    msg = consumer.poll(0.1)
    if msg is not None and not msg.error():
        messages.append({"partition": msg.partition(), "offset": msg.offset(), "key": text(msg.key()), "value": text(msg.value())})
consumer.close()
emit({"messages": messages, "start_offsets": start_offsets, "ends": {str(p): o for p, o in ends.items()}})
