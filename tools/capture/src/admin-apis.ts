/**
 * Admin APIs the proxy may advertise on behalf of the mock (see src/rewrite.ts), with the
 * version ranges of Kafka 3.9's message specs. Only APIs that clients send when the scenario
 * explicitly asks for them: adding e.g. OffsetForLeaderEpoch would change what consumers do.
 */
import { type ApiSpec, loadApiSpecs } from "./kafka-spec.js";
import type { ApiVersionEntry } from "./rewrite.js";

export const ADMIN_API_NAMES = [
  "DescribeGroups",
  "ListGroups",
  "CreateTopics",
  "DeleteTopics",
  "DeleteRecords",
  "DescribeConfigs",
  "AlterConfigs",
  "CreatePartitions",
  "DeleteGroups",
  "IncrementalAlterConfigs",
  "OffsetDelete",
  "DescribeCluster",
] as const;

export function adminApiVersions(apis: Map<number, ApiSpec> = loadApiSpecs()): ApiVersionEntry[] {
  const byName = new Map([...apis.values()].map((api) => [api.name, api]));
  return ADMIN_API_NAMES.map((name) => {
    const api = byName.get(name);
    if (!api) throw new Error(`no spec for ${name}`);
    return { apiKey: api.apiKey, minVersion: api.validVersions.min, maxVersion: api.validVersions.max };
  });
}
