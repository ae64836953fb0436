"""Admin with confluent-kafka's AdminClient: create, describe, alter, create partitions, delete.
{bootstrap, topic} -> one JSON document of observations (the test asserts on them)."""
from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

from e2e_common import emit, read_config

cfg = read_config()
topic = cfg["topic"]
admin = AdminClient({"bootstrap.servers": cfg["bootstrap"]})
out = {}


def error_of(future):
    try:
        future.result(timeout=15)
        return None
    except KafkaException as err:
        return err.args[0].name()


def partitions_of(name):
    t = admin.list_topics(timeout=10).topics.get(name)
    return None if t is None or t.error is not None else len(t.partitions)


def retention():
    res = ConfigResource(ConfigResource.Type.TOPIC, topic)
    configs = admin.describe_configs([res], request_timeout=15)[res].result(timeout=15)
    return configs["retention.ms"].value


new = NewTopic(topic, num_partitions=3, replication_factor=1, config={"retention.ms": "3600000"})
out["create"] = error_of(admin.create_topics([new], operation_timeout=10, request_timeout=15)[topic])
out["create_again"] = error_of(admin.create_topics([new], request_timeout=15)[topic])
bad = "bad/name"
out["create_invalid"] = error_of(admin.create_topics([NewTopic(bad, 1, 1)], request_timeout=15)[bad])
out["partitions_after_create"] = partitions_of(topic)
out["retention_after_create"] = retention()
res = ConfigResource(ConfigResource.Type.TOPIC, topic, set_config={"retention.ms": "7200000"})
out["alter"] = error_of(admin.alter_configs([res], request_timeout=15)[res])
out["retention_after_alter"] = retention()
out["create_partitions"] = error_of(admin.create_partitions([NewPartitions(topic, 5)], request_timeout=15)[topic])
out["partitions_after_create_partitions"] = partitions_of(topic)
broker = ConfigResource(ConfigResource.Type.BROKER, "0")
try:
    out["broker_config_names"] = sorted(admin.describe_configs([broker], request_timeout=15)[broker].result(timeout=15))[:50]
except KafkaException as err:
    out["broker_config_names"] = err.args[0].name()
out["groups"] = sorted(g.id for g in admin.list_groups(timeout=10))
out["delete"] = error_of(admin.delete_topics([topic], operation_timeout=10, request_timeout=15)[topic])
out["partitions_after_delete"] = partitions_of(topic)
out["topics_after_delete"] = sorted(admin.list_topics(timeout=10).topics)
emit(out)
