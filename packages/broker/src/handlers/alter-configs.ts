import { ApiKey, ErrorCode, type AlterConfigsResponse, type AlterConfigsResponseAlterConfigsResourceResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { alterConfigResource, setValuesProblem, type OverridesChange } from "./configs/alter-resource.js";
import { duplicates } from "./configs/config-resources.js";
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
      const key = (r: { resourceType: number; resourceName: string }) => `${r.resourceType}:${r.resourceName}`;
      const repeated = duplicates(request.resources, key);
      const answered = new Set<string>();
      const responses: AlterConfigsResponseAlterConfigsResourceResponse[] = [];
      for (const r of request.resources) {
        const base = { resourceType: r.resourceType, resourceName: r.resourceName };
        if (repeated.has(key(r))) {
          if (!answered.has(key(r))) responses.push({ ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: "Duplicate resource." });
          answered.add(key(r));
          continue;
        }
        const replace = (): OverridesChange => setValuesProblem(r.configs) ?? { overrides: Object.fromEntries(r.configs.map((c) => [c.name, c.value ?? ""])) };
        const outcome = await alterConfigResource(
          services,
          { ...base, configNames: r.configs.map((c) => c.name) },
          request.validateOnly,
          replace,
          "AlterConfigs",
        );
        responses.push({ ...base, ...outcome });
      }
      return { throttleTimeMs: 0, responses };
    },
  });
}
