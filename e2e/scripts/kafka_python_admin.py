"""Admin with kafka-python's KafkaAdminClient. {bootstrap, topic}: create, describe, alter,
create partitions, delete a topic and describe the cluster; {bootstrap, group}: list, describe,
read the offsets of and delete a consumer group. Prints one JSON document of observations (the
test asserts on them); errors are reported by kafka-python's exception class name."""
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewPartitions, NewTopic

from e2e_common import emit, read_config

cfg = read_config()
topic = cfg.get("topic")
admin = KafkaAdminClient(bootstrap_servers=cfg["bootstrap"], client_id="e2e-kafka-python-admin")
out = {}


def attempt(fn):
    try:
        fn()
        return None
    except Exception as err:  # noqa: BLE001 - the error class is the observation
        return type(err).__name__


def partitions_of(name):
    """From a Metadata request for all topics (asking for the topic by name would create it)."""
    for t in admin.describe_topics(None):
        if t["topic"] == name:
            return len(t["partitions"])
    return None


def retention():
    [response] = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    [resource] = response.to_object()["resources"]
    if resource["error_code"] != 0:
        return f"error {resource['error_code']}"
    return {e["config_names"]: e["config_value"] for e in resource["config_entries"]}.get("retention.ms")


if cfg.get("group"):
    group = cfg["group"]
    out["groups"] = sorted(g[0] for g in admin.list_consumer_groups())
    [described] = admin.describe_consumer_groups([group])
    out["group_state"] = described.state
    out["group_members"] = len(described.members)
    out["group_offsets"] = {f"{tp.topic}:{tp.partition}": om.offset for tp, om in admin.list_consumer_group_offsets(group).items()}
    out["delete_group"] = [(g, e.__name__) for g, e in admin.delete_consumer_groups([group])]  # error classes
    out["groups_after_delete"] = sorted(g[0] for g in admin.list_consumer_groups())
else:
    out["create"] = attempt(lambda: admin.create_topics([NewTopic(topic, 3, 1, topic_configs={"retention.ms": "3600000"})], timeout_ms=10000))
    out["create_again"] = attempt(lambda: admin.create_topics([NewTopic(topic, 3, 1)], timeout_ms=10000))
    out["create_invalid"] = attempt(lambda: admin.create_topics([NewTopic("bad/name", 1, 1)], timeout_ms=10000))
    out["list_topics"] = sorted(admin.list_topics())
    out["partitions_after_create"] = partitions_of(topic)
    out["retention_after_create"] = retention()
    [altered] = admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": "7200000"})]).to_object()["resources"]
    out["alter"] = altered["error_code"]
    out["retention_after_alter"] = retention()
    out["create_partitions"] = attempt(lambda: admin.create_partitions({topic: NewPartitions(5)}, timeout_ms=10000))
    out["partitions_after_create_partitions"] = partitions_of(topic)
    cluster = admin.describe_cluster()
    out["cluster"] = {"brokers": cluster["brokers"], "cluster_id": cluster.get("cluster_id"), "controller_id": cluster.get("controller_id")}
    out["delete"] = attempt(lambda: admin.delete_topics([topic], timeout_ms=10000))
    out["partitions_after_delete"] = partitions_of(topic)
    out["topics_after_delete"] = sorted(admin.list_topics())
admin.close()
emit(out)
