import {
  ApiKey,
  ErrorCode,
  type IncrementalAlterConfigsRequestAlterableConfig,
  type IncrementalAlterConfigsResponse,
} from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { TOPIC_CONFIG_BY_NAME } from "../topics/topic-configs.js";
import { alterConfigResource, failure, setValuesProblem, type OverridesChange } from "./configs/alter-resource.js";
import { ConfigType } from "./configs/config-kinds.js";
import { answerEachResource } from "./configs/config-resources.js";
import { topicConfigDefaults } from "./configs/topic-config-defaults.js";
import { topicDefaultValue, type TopicConfigDefaults } from "./configs/topic-config-view.js";
import { defineHandler } from "./handler.js";

/** Kafka's `AlterConfigOp.OpType` ids. */
const OpType = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;
const OP_NAMES = ["SET", "DELETE", "APPEND", "SUBTRACT"];

/**
 * Applies SET, DELETE, APPEND and SUBTRACT to a topic's overrides, in request order, as
 * Kafka's `ConfigurationControlManager` does: APPEND and SUBTRACT only on LIST configs,
 * starting from the override or else the default value; DELETE of a config that is not set
 * is a no-op. The values set are then validated together.
 */
export function applyIncrementalOps(
  current: Readonly<Record<string, string>>,
  ops: readonly IncrementalAlterConfigsRequestAlterableConfig[],
  defaults: TopicConfigDefaults,
): OverridesChange {
  const next: Record<string, string> = { ...current };
  const set = new Map<string, string | null>();
  for (const op of ops) {
    switch (op.configOperation) {
      case OpType.SET:
        set.set(op.name, op.value);
        if (op.value !== null) next[op.name] = op.value;
        break;
      case OpType.DELETE:
        set.delete(op.name);
        delete next[op.name];
        break;
      case OpType.APPEND:
      case OpType.SUBTRACT: {
        const opName = OP_NAMES[op.configOperation]!;
        const def = TOPIC_CONFIG_BY_NAME.get(op.name);
        if (def === undefined) return failure(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${op.name}`);
        if (def.type !== ConfigType.LIST) return failure(ErrorCode.INVALID_CONFIG, `Can't ${opName} to key ${op.name} because its type is not LIST.`);
        if (op.value === null) return failure(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${op.name}`);
        const parts = splitList(next[op.name] ?? topicDefaultValue(op.name, defaults) ?? "");
        for (const item of splitList(op.value)) {
          if (op.configOperation === OpType.APPEND) {
            if (!parts.includes(item)) parts.push(item);
          } else {
            const at = parts.indexOf(item);
            if (at >= 0) parts.splice(at, 1);
          }
        }
        next[op.name] = parts.join(",");
        set.set(op.name, next[op.name]!);
        break;
      }
      default:
        return failure(ErrorCode.INVALID_REQUEST, `Unknown config operation type ${op.configOperation} for ${op.name}`);
    }
  }
  const problem = setValuesProblem([...set].map(([name, value]) => ({ name, value })));
  return problem ?? { overrides: next };
}

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * IncrementalAlterConfigs v0-1: SET, DELETE, APPEND and SUBTRACT on a topic's overrides
 * (INVALID_CONFIG for unknown names and bad values, nothing applied then), validateOnly.
 * Broker configs are read-only (KAFSCALE_* settings). A resource named twice is refused once
 * with INVALID_REQUEST.
 */
export function incrementalAlterConfigsHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.IncrementalAlterConfigs,
    minVersion: 0,
    maxVersion: 1,
    async handle(request): Promise<IncrementalAlterConfigsResponse> {
      const responses = await answerEachResource(request.resources, (r) => {
        const resource = { resourceType: r.resourceType, resourceName: r.resourceName, configNames: r.configs.map((c) => c.name) };
        return alterConfigResource(services, resource, request.validateOnly, (current) => applyIncrementalOps(current, r.configs, topicConfigDefaults(services)), "IncrementalAlterConfigs");
      });
      return { throttleTimeMs: 0, responses };
    },
  });
}
