import { apiByKey } from "@kafscale/protocol";
import type { HandlerRegistry } from "./handler-registry.js";

/** The Markdown table of the APIs and versions the broker advertises (docs/protocol-support.md). */
export function advertisedApiTable(registry: HandlerRegistry): string {
  const rows = registry.versionRanges().map((r) => {
    const api = apiByKey(r.apiKey)!;
    return `| ${r.apiKey} | ${api.name} | ${r.minVersion}–${r.maxVersion} | ${api.minVersion}–${api.maxVersion} |`;
  });
  return ["| Key | API | Served | Kafka 3.9 |", "| ---: | --- | --- | --- |", ...rows].join("\n");
}
