import { ApiKey, type AlterConfigsResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { alterConfigResource, setValuesProblem, type OverridesChange } from "./configs/alter-resource.js";
import { answerEachResource } from "./configs/config-resources.js";
import { defineHandler } from "./handler.js";

/**
 * AlterConfigs v0-2 (the legacy API): a topic's override set is replaced by the one given, so
 * configs left out return to their defaults. Broker configs are read-only (KAFSCALE_*
 * settings). A resource named twice is refused once with INVALID_REQUEST.
 */
export function alterConfigsHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.AlterConfigs,
    minVersion: 0,
    maxVersion: 2,
    async handle(request): Promise<AlterConfigsResponse> {
      const responses = await answerEachResource(request.resources, (r) => {
        const replace = (): OverridesChange => setValuesProblem(r.configs) ?? { overrides: Object.fromEntries(r.configs.map((c) => [c.name, c.value ?? ""])) };
        const resource = { resourceType: r.resourceType, resourceName: r.resourceName, configNames: r.configs.map((c) => c.name) };
        return alterConfigResource(services, resource, request.validateOnly, replace, "AlterConfigs");
      });
      return { throttleTimeMs: 0, responses };
    },
  });
}
