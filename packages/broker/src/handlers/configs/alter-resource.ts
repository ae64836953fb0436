import { ErrorCode } from "@kafscale/protocol";
import type { BrokerServices } from "../../services.js";
import { TOPIC_CONFIG_BY_NAME, topicConfigProblem } from "../../topics/topic-configs.js";
import { topicNameProblem } from "../../topics/topic-name.js";
import { brokerResourceProblem } from "./config-resources.js";
import { ResourceType, resourceTypeName } from "./config-kinds.js";

export interface ResourceOutcome {
  errorCode: number;
  errorMessage: string | null;
}

/** A topic's next override set, or why it cannot have it. */
export type OverridesChange = { overrides: Record<string, string> } | ResourceOutcome;

const OK: ResourceOutcome = { errorCode: ErrorCode.NONE, errorMessage: null };
export const failure = (errorCode: number, errorMessage: string): ResourceOutcome => ({ errorCode, errorMessage });

/** Checks the values a change sets (names, types, read-only): INVALID_CONFIG with Kafka-like messages. */
export function setValuesProblem(values: readonly { name: string; value: string | null }[]): ResourceOutcome | null {
  const nulls = values.filter((c) => c.value === null).map((c) => c.name);
  if (nulls.length > 0) return failure(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${nulls.join(",")}`);
  const problem = topicConfigProblem(values.map((c) => [c.name, c.value]));
  if (problem !== null) return failure(ErrorCode.INVALID_CONFIG, problem);
  const readOnly = values.filter((c) => TOPIC_CONFIG_BY_NAME.get(c.name)?.readOnly === true).map((c) => c.name);
  if (readOnly.length > 0) return failure(ErrorCode.INVALID_CONFIG, `Cannot alter read-only configs: ${readOnly.join(",")}`);
  return null;
}

export interface AlterRequestResource {
  resourceType: number;
  resourceName: string;
  /** The config names the request touches, to refuse duplicates and broker changes. */
  configNames: readonly string[];
}

/**
 * One resource of AlterConfigs or IncrementalAlterConfigs. Topics get the override set
 * `change` computes from their current one, validated, and stored unless `validateOnly`
 * (retention changes apply from the next retention run). The broker's configs are read-only:
 * they come from its KAFSCALE_* settings. Other resource types are refused as Kafka refuses
 * them: INVALID_REQUEST for types it knows, UNSUPPORTED_VERSION for ids it does not.
 */
export async function alterConfigResource(
  services: BrokerServices,
  resource: AlterRequestResource,
  validateOnly: boolean,
  change: (current: Readonly<Record<string, string>>) => OverridesChange,
  api: "AlterConfigs" | "IncrementalAlterConfigs",
): Promise<ResourceOutcome> {
  const { topics, node } = services;
  const names = new Set(resource.configNames);
  if (names.size !== resource.configNames.length) return failure(ErrorCode.INVALID_REQUEST, "Error due to duplicate config keys");

  switch (resource.resourceType) {
    case ResourceType.TOPIC: {
      const name = resource.resourceName;
      if (name === "") return failure(ErrorCode.INVALID_REQUEST, "Default topic resources are not allowed.");
      const nameProblem = topicNameProblem(name);
      if (nameProblem !== null) return failure(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
      const topic = topics.get(name);
      if (topic === undefined) return failure(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
      const next = change(topic.configs);
      if (!("overrides" in next)) return next;
      if (validateOnly) return OK;
      const stored = await topics.setConfigs(name, topics.withCreationDefaults(next.overrides));
      return stored.errorCode === ErrorCode.NONE ? OK : { errorCode: stored.errorCode, errorMessage: stored.errorMessage };
    }
    case ResourceType.BROKER: {
      const problem = brokerResourceProblem(resource.resourceName, node.nodeId);
      if (problem !== null) return failure(ErrorCode.INVALID_REQUEST, problem);
      if (names.size === 0) return OK;
      return failure(
        ErrorCode.INVALID_CONFIG,
        `Cannot update these configs dynamically: ${[...names].join(",")}. ` +
          "Kafscale's broker configs come from its KAFSCALE_* settings (environment or flags) and change with a restart.",
      );
    }
    case ResourceType.BROKER_LOGGER:
      if (api === "AlterConfigs") return failure(ErrorCode.INVALID_REQUEST, "AlterConfigs is deprecated and does not support the resource type BROKER_LOGGER");
      return failure(ErrorCode.INVALID_REQUEST, "Unsupported resource type: BROKER_LOGGER");
    case ResourceType.CLIENT_METRICS:
    case ResourceType.GROUP:
      return failure(ErrorCode.INVALID_REQUEST, `Unsupported resource type: ${resourceTypeName(resource.resourceType)}`);
    default:
      return failure(ErrorCode.UNSUPPORTED_VERSION, `Unknown resource type ${resource.resourceType}.`);
  }
}
