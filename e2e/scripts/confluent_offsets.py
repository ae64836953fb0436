"""Offsets through confluent-kafka: {bootstrap, topic, group?, times?: [ms]} ->
{"low": {p: o}, "high": {p: o}, "committed": {p: o} (group only, -1001 when none),
 "by_time": {ms: {p: o}} (offsets_for_times, -1 when no message is that late)}."""
from confluent_kafka import Consumer, TopicPartition

from e2e_common import emit, read_config

cfg = read_config()
topic = cfg["topic"]
consumer = Consumer({
    "bootstrap.servers": cfg["bootstrap"],
    "group.id": cfg.get("group") or "e2e-offsets",
    "enable.auto.commit": False,
})
partitions = sorted(consumer.list_topics(topic, timeout=10).topics[topic].partitions)
low, high = {}, {}
for p in partitions:
    lo, hi = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
    low[str(p)], high[str(p)] = lo, hi
result = {"low": low, "high": high}
if cfg.get("group"):
    committed = consumer.committed([TopicPartition(topic, p) for p in partitions], timeout=10)
    result["committed"] = {str(tp.partition): tp.offset for tp in committed}
by_time = {}
for ms in cfg.get("times", []):
    found = consumer.offsets_for_times([TopicPartition(topic, p, int(ms)) for p in partitions], timeout=10)
    by_time[str(ms)] = {str(tp.partition): tp.offset for tp in found}
result["by_time"] = by_time
consumer.close()
emit(result)
