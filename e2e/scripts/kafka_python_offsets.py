"""Offsets through kafka-python: {bootstrap, topic, group?, times?: [ms]} ->
{"low", "high", "committed" (group only, null when none), "by_time": {ms: {p: offset|null}}}."""
from kafka import KafkaConsumer, TopicPartition

from e2e_common import emit, read_config

cfg = read_config()
topic = cfg["topic"]
consumer = KafkaConsumer(bootstrap_servers=cfg["bootstrap"], group_id=cfg.get("group"), enable_auto_commit=False)
partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
result = {
    "low": {str(tp.partition): o for tp, o in consumer.beginning_offsets(partitions).items()},
    "high": {str(tp.partition): o for tp, o in consumer.end_offsets(partitions).items()},
}
if cfg.get("group"):
    result["committed"] = {str(tp.partition): consumer.committed(tp) for tp in partitions}
by_time = {}
for ms in cfg.get("times", []):
    found = consumer.offsets_for_times({tp: int(ms) for tp in partitions})
    by_time[str(ms)] = {str(tp.partition): (None if f is None else f.offset) for tp, f in found.items()}
result["by_time"] = by_time
consumer.close()
emit(result)
