/**
 * What the capture tools need from Kafka's JSON message specs: API names (for fixture file
 * names), valid versions (for the admin APIs the proxy may advertise) and flexible versions
 * (for header versions). Read at run time so the tools never depend on the codec under test.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface VersionRange {
  readonly min: number;
  /** Inclusive; `Infinity` for an open range such as "3+". */
  readonly max: number;
}

export interface ApiSpec {
  readonly apiKey: number;
  /** PascalCase name without the Request/Response suffix, e.g. "ApiVersions". */
  readonly name: string;
  /** Kebab-case name used in fixture file names, e.g. "api-versions". */
  readonly kebab: string;
  readonly validVersions: VersionRange;
  readonly requestFlexible: VersionRange | null;
  readonly responseFlexible: VersionRange | null;
}

export const defaultSpecDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../shared/kafka-message-spec",
);

/** "0-4" → {0,4}; "3+" → {3,∞}; "none" → null. */
export function parseRange(text: string): VersionRange | null {
  if (text === "none") return null;
  const open = /^(\d+)\+$/.exec(text);
  if (open) return { min: Number(open[1]), max: Infinity };
  const closed = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!closed) throw new Error(`bad version range ${JSON.stringify(text)}`);
  const min = Number(closed[1]);
  return { min, max: closed[2] === undefined ? min : Number(closed[2]) };
}

export function inRange(range: VersionRange | null, version: number): boolean {
  return range !== null && version >= range.min && version <= range.max;
}

/** "ApiVersions" → "api-versions", "AddPartitionsToTxn" → "add-partitions-to-txn". */
export function kebabCase(pascal: string): string {
  return pascal
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/** Kafka's spec files are JSON with `//` line comments. */
function parseSpecJson(text: string): Record<string, unknown> {
  const withoutComments = text
    .split("\n")
    .map((line) => line.replace(/^\s*\/\/.*$/, ""))
    .join("\n");
  return JSON.parse(withoutComments) as Record<string, unknown>;
}

export function loadApiSpecs(specDir: string = process.env.KAFKA_SPEC_DIR ?? defaultSpecDir): Map<number, ApiSpec> {
  const requests = new Map<number, { name: string; valid: string; flexible: string }>();
  const responses = new Map<number, string>();
  for (const file of readdirSync(specDir)) {
    if (!file.endsWith(".json")) continue;
    const spec = parseSpecJson(readFileSync(join(specDir, file), "utf8"));
    if (typeof spec.apiKey !== "number") continue;
    if (spec.type === "request") {
      requests.set(spec.apiKey, {
        name: String(spec.name).replace(/Request$/, ""),
        valid: String(spec.validVersions),
        flexible: String(spec.flexibleVersions),
      });
    } else if (spec.type === "response") {
      responses.set(spec.apiKey, String(spec.flexibleVersions));
    }
  }
  const apis = new Map<number, ApiSpec>();
  for (const [apiKey, request] of requests) {
    const validVersions = parseRange(request.valid);
    if (!validVersions) continue;
    apis.set(apiKey, {
      apiKey,
      name: request.name,
      kebab: kebabCase(request.name),
      validVersions,
      requestFlexible: parseRange(request.flexible),
      responseFlexible: parseRange(responses.get(apiKey) ?? "none"),
    });
  }
  return apis;
}

/** Request header v1 (INT16 client id) or v2 (plus tagged fields); v0 is never used by clients here. */
export function requestHeaderVersion(api: ApiSpec | undefined, version: number): number {
  if (!api) return 1;
  return inRange(api.requestFlexible, version) ? 2 : 1;
}

/** Response header v0 (correlation id) or v1 (plus tagged fields); ApiVersions is always v0. */
export function responseHeaderVersion(api: ApiSpec | undefined, version: number): number {
  if (!api || api.apiKey === 18) return 0;
  return inRange(api.responseFlexible, version) ? 1 : 0;
}
