import {
  ApiKey,
  ErrorCode,
  type DescribeConfigsRequestDescribeConfigsResource,
  type DescribeConfigsResponse,
  type DescribeConfigsResponseDescribeConfigsResourceResult,
  type DescribeConfigsResponseDescribeConfigsResult,
} from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { topicNameProblem } from "../topics/topic-name.js";
import { describeBrokerConfigs } from "./configs/broker-config-view.js";
import { ConfigSource, ResourceType, resourceTypeName, type DescribedConfig } from "./configs/config-kinds.js";
import { brokerResourceProblem } from "./configs/config-resources.js";
import { topicConfigDefaults } from "./configs/topic-config-defaults.js";
import { describeTopicConfigs } from "./configs/topic-config-view.js";
import { defineHandler } from "./handler.js";

/**
 * DescribeConfigs v0-4, as Kafka's `ConfigHelper.describeConfigs` answers:
 * - topics (2): every known topic config with its effective value: DYNAMIC_TOPIC_CONFIG for
 *   the topic's overrides, STATIC_BROKER_CONFIG for values from the broker's settings
 *   (retention, segment size), DEFAULT_CONFIG for Kafka defaults; UNKNOWN_TOPIC_OR_PARTITION
 *   for topics that do not exist;
 * - the broker (4) named by its id: its read-only settings; named "": the dynamic cluster-wide
 *   defaults, of which there are none; another id: INVALID_REQUEST;
 * - anything else (broker loggers, client metrics, groups): INVALID_REQUEST.
 * `configurationKeys` null or empty lists every config. Synonyms (v1+) and documentation
 * (v3+) only when asked for; v0's isDefault is true for values the resource does not set.
 */
export function describeConfigsHandler(services: BrokerServices) {
  const { topics, node, settings } = services;

  function describe(resource: DescribeConfigsRequestDescribeConfigsResource): { errorCode: number; errorMessage: string | null; configs: DescribedConfig[] } {
    const ok = (configs: DescribedConfig[]) => ({ errorCode: ErrorCode.NONE, errorMessage: null, configs });
    const fail = (errorCode: number, errorMessage: string) => ({ errorCode, errorMessage, configs: [] });
    switch (resource.resourceType) {
      case ResourceType.TOPIC: {
        const problem = topicNameProblem(resource.resourceName);
        if (problem !== null) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, problem);
        const topic = topics.get(resource.resourceName);
        if (topic === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
        return ok(describeTopicConfigs(topic.configs, topicConfigDefaults(services)));
      }
      case ResourceType.BROKER: {
        const problem = brokerResourceProblem(resource.resourceName, node.nodeId);
        if (problem !== null) return fail(ErrorCode.INVALID_REQUEST, problem);
        return ok(resource.resourceName === "" ? [] : describeBrokerConfigs(settings.brokerConfigs));
      }
      default:
        return fail(ErrorCode.INVALID_REQUEST, `Unsupported resource type: ${resourceTypeName(resource.resourceType)}`);
    }
  }

  return defineHandler({
    apiKey: ApiKey.DescribeConfigs,
    minVersion: 0,
    maxVersion: 4,
    handle(request, ctx): DescribeConfigsResponse {
      const includeSynonyms = ctx.apiVersion >= 1 && request.includeSynonyms === true;
      const includeDocumentation = ctx.apiVersion >= 3 && request.includeDocumentation === true;
      const results = request.resources.map((resource): DescribeConfigsResponseDescribeConfigsResult => {
        const described = describe(resource);
        const keys = resource.configurationKeys;
        const wanted = keys === null || keys.length === 0 ? described.configs : described.configs.filter((c) => keys.includes(c.name));
        const isTopic = resource.resourceType === ResourceType.TOPIC;
        return {
          errorCode: described.errorCode,
          errorMessage: described.errorMessage,
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          configs: wanted.map(
            (c): DescribeConfigsResponseDescribeConfigsResourceResult => ({
              name: c.name,
              value: c.value,
              readOnly: c.readOnly,
              isDefault: c.source === ConfigSource.DEFAULT_CONFIG || (isTopic && c.source !== ConfigSource.DYNAMIC_TOPIC_CONFIG),
              configSource: c.source,
              isSensitive: c.isSensitive,
              synonyms: includeSynonyms ? c.synonyms : [],
              configType: c.type,
              documentation: includeDocumentation ? c.documentation : null,
            }),
          ),
        };
      });
      return { throttleTimeMs: 0, results };
    },
  });
}
