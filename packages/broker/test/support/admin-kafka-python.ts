import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Debian's interpreter, where `python3-kafka` installs kafka-python. */
export const PYTHON = "/usr/bin/python3";

/**
 * kafka-python's KafkaAdminClient, run against the broker: creates `topic` (3 partitions,
 * retention.ms 3600000), describes its configs and the broker's, alters them (AlterConfigs
 * replaces the override set), describes again, creates partitions, deletes the topic and
 * lists topics. Prints one JSON object with what each call answered (`to_object()` of the
 * responses, keyed by kafka-python's field names).
 */
const SCRIPT = String.raw`
import json, sys
from kafka.admin import KafkaAdminClient, NewTopic, NewPartitions, ConfigResource, ConfigResourceType

bootstrap, topic = sys.argv[1], sys.argv[2]
admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="kafscale-admin-test", request_timeout_ms=15000)
out = {"apiVersion": list(admin.config["api_version"])}

def describe(resource_type, name):
    [response] = admin.describe_configs([ConfigResource(resource_type, name)])
    [res] = response.to_object()["resources"]
    return {"error": res["error_code"], "configs": {e["config_names"]: e["config_value"] for e in res["config_entries"]},
            "readOnly": sorted({e["read_only"] for e in res["config_entries"]})}

out["create"] = admin.create_topics([NewTopic(name=topic, num_partitions=3, replication_factor=1,
                                              topic_configs={"retention.ms": "3600000"})]).to_object()["topic_errors"]
out["describeBefore"] = describe(ConfigResourceType.TOPIC, topic)
out["broker"] = describe(ConfigResourceType.BROKER, "0")
out["alter"] = admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic,
                                                   configs={"retention.ms": "7200000", "segment.ms": "600000"})]).to_object()["resources"]
out["describeAfter"] = describe(ConfigResourceType.TOPIC, topic)
out["partitions"] = admin.create_partitions({topic: NewPartitions(total_count=5)}).to_object()["topic_errors"]
out["topicsBeforeDelete"] = admin.list_topics()
out["delete"] = admin.delete_topics([topic]).to_object()["topic_error_codes"]
out["topicsAfterDelete"] = admin.list_topics()
admin.close()
print(json.dumps(out))
`;

/** Fails with a clear message when kafka-python is missing (the test must not be skipped). */
export async function requireKafkaPython(): Promise<void> {
  try {
    await run(PYTHON, ["-c", "import kafka"], { timeout: 30_000 });
  } catch (err) {
    throw new Error(
      `kafka-python is required for this test: install Debian's python3-kafka (apt-get install python3-kafka) so that ${PYTHON} can import kafka. ` +
        `(${(err as Error).message.trim()})`,
    );
  }
}

/** Runs the admin script; resolves with its JSON output. */
export async function runKafkaPythonAdmin(bootstrap: string, topic: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(PYTHON, ["-c", SCRIPT, bootstrap, topic], { timeout: 60_000 });
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1] ?? "{}") as Record<string, unknown>;
}
