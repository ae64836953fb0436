import type { MessageModel } from "./model.js";
import { apiName } from "./names.js";
import { parseVersions, isEmpty } from "./versions.js";

export interface ApiPair {
  apiKey: number;
  name: string;
  file: string;
  request: MessageModel;
  response: MessageModel;
}

export function emitRegistry(apis: ApiPair[]): string[] {
  const out: string[] = [];
  for (const a of apis) {
    out.push(`import { ${a.request.typeName}, ${a.response.typeName} } from "./${a.file}.js";`);
  }
  out.push('import type { ApiDescriptor } from "../api-descriptor.js";', "");
  out.push("/** Every API key of the spec folder, by name. */", "export const ApiKey = {");
  for (const a of apis) out.push(`  ${a.name}: ${a.apiKey},`);
  out.push("} as const;", "export type ApiKey = (typeof ApiKey)[keyof typeof ApiKey];", "");
  out.push("/** The request message type of each API key. */", "export interface RequestTypes {");
  for (const a of apis) out.push(`  ${a.apiKey}: ${a.request.typeName};`);
  out.push("}", "", "/** The response message type of each API key. */", "export interface ResponseTypes {");
  for (const a of apis) out.push(`  ${a.apiKey}: ${a.response.typeName};`);
  out.push("}", "");
  out.push(
    "/** Each API: its name, versions and the codecs of its request and response. */",
    "export const APIS: { readonly [K in ApiKey]: ApiDescriptor<RequestTypes[K], ResponseTypes[K]> } = {",
  );
  for (const a of apis) {
    const spec = a.request.spec;
    const deprecated = parseVersions(spec.deprecatedVersions);
    out.push(
      `  ${a.apiKey}: {`,
      `    apiKey: ${a.apiKey},`,
      `    name: ${JSON.stringify(a.name)},`,
      `    minVersion: ${a.request.valid.min},`,
      `    maxVersion: ${a.request.valid.max},`,
      `    flexibleMinVersion: ${isEmpty(a.request.flexible) ? -1 : a.request.flexible.min},`,
      `    deprecatedVersions: ${isEmpty(deprecated) ? "null" : `{ min: ${deprecated.min}, max: ${deprecated.max} }`},`,
      `    latestVersionUnstable: ${spec.latestVersionUnstable === true},`,
      `    listeners: ${JSON.stringify(spec.listeners ?? [])},`,
      `    request: ${a.request.typeName},`,
      `    response: ${a.response.typeName},`,
      "  },",
    );
  }
  out.push("};", "");
  return out;
}

export function pairApis(models: MessageModel[], fileOf: (m: MessageModel) => string): ApiPair[] {
  const byKey = new Map<number, { request?: MessageModel; response?: MessageModel }>();
  for (const m of models) {
    if (m.spec.apiKey === undefined || (m.spec.type !== "request" && m.spec.type !== "response")) continue;
    const entry = byKey.get(m.spec.apiKey) ?? {};
    entry[m.spec.type] = m;
    byKey.set(m.spec.apiKey, entry);
  }
  return [...byKey.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([apiKey, { request, response }]) => {
      if (!request || !response) throw new Error(`API key ${apiKey} lacks a request or a response spec`);
      return { apiKey, name: apiName(request.spec.name), file: fileOf(request), request, response };
    });
}

/** The Markdown table of APIs and versions for docs/protocol.md. */
export function emitApiTable(apis: ApiPair[]): string[] {
  const out = [
    "| Key | API | Versions | Flexible from | Deprecated | Notes |",
    "| ---: | --- | --- | --- | --- | --- |",
  ];
  for (const a of apis) {
    const spec = a.request.spec;
    const flex = isEmpty(a.request.flexible) ? "never" : `v${a.request.flexible.min}`;
    const notes = [spec.latestVersionUnstable ? "latest version unstable" : "", (spec.listeners ?? []).join(", ")].filter(Boolean).join("; ");
    out.push(`| ${a.apiKey} | ${a.name} | ${a.request.valid.min}–${a.request.valid.max} | ${flex} | ${spec.deprecatedVersions ?? ""} | ${notes} |`);
  }
  return out;
}
