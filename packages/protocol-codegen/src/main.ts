#!/usr/bin/env -S npx tsx
/**
 * Generates @kafscale/protocol's message codec from a folder of Kafka message JSON specs.
 *
 *   tsx main.ts <spec-dir> <out-dir> [docs-file]
 *
 * Writes one file per API (request and response), one per header and data message, the API
 * registry and a barrel into <out-dir>; replaces the generated table in [docs-file].
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadSpecs } from "./spec.js";
import { assignUniqueNames, buildMessage, type MessageModel } from "./model.js";
import { emitMessage, header, imports } from "./emit-file.js";
import { emitApiTable, emitRegistry, pairApis } from "./emit-registry.js";
import { apiName, kebabCase } from "./names.js";

const [specDir, outDir, docsFile] = process.argv.slice(2);
if (!specDir || !outDir) {
  console.error("usage: main.ts <kafka-message-spec-dir> <out-dir> [docs-file]");
  process.exit(2);
}
if (!existsSync(specDir)) {
  console.error(`spec folder not found: ${specDir}`);
  process.exit(2);
}

const specs = loadSpecs(specDir);
const models = specs.map(buildMessage);
assignUniqueNames(models);
const fileOf = (m: MessageModel): string =>
  m.spec.type === "request" || m.spec.type === "response" ? kebabCase(apiName(m.spec.name)) : kebabCase(m.spec.name);

const files = new Map<string, MessageModel[]>();
for (const m of models) {
  const list = files.get(fileOf(m)) ?? [];
  list.push(m);
  files.set(fileOf(m), list);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const exported: { file: string; values: string[]; types: string[] }[] = [];
for (const [file, list] of [...files.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
  list.sort((a, b) => (a.spec.type === "request" ? -1 : b.spec.type === "request" ? 1 : 0));
  const body = list.flatMap((m) => emitMessage(m)).join("\n");
  const text = [...header(list.map((m) => m.spec.file)), ...imports(list, body), body].join("\n");
  writeFileSync(join(outDir, `${file}.ts`), text.trimEnd() + "\n");
  exported.push({
    file,
    values: list.map((m) => m.typeName),
    types: list.flatMap((m) => m.structs.filter((s) => !s.root).map((s) => s.typeName)),
  });
}

const apis = pairApis(models, fileOf);
writeFileSync(join(outDir, "api-registry.ts"), [...header(["every *Request.json and *Response.json"]), ...emitRegistry(apis)].join("\n"));

const barrel = [...header(["the whole spec folder"])];
for (const e of exported) {
  barrel.push(`export { ${e.values.join(", ")} } from "./${e.file}.js";`);
  if (e.types.length > 0) barrel.push(`export type { ${e.types.join(", ")} } from "./${e.file}.js";`);
}
barrel.push('export { APIS, ApiKey } from "./api-registry.js";', 'export type { RequestTypes, ResponseTypes } from "./api-registry.js";', "");
writeFileSync(join(outDir, "index.ts"), barrel.join("\n"));

if (docsFile) {
  const BEGIN = "<!-- BEGIN GENERATED API TABLE (pnpm generate) -->";
  const END = "<!-- END GENERATED API TABLE -->";
  const table = [BEGIN, ...emitApiTable(apis), END].join("\n");
  const current = existsSync(docsFile) ? readFileSync(docsFile, "utf8") : `# Kafka protocol\n\n${BEGIN}\n${END}\n`;
  const start = current.indexOf(BEGIN);
  const stop = current.indexOf(END);
  if (start < 0 || stop < 0) throw new Error(`${docsFile} lacks the generated-table markers`);
  writeFileSync(docsFile, current.slice(0, start) + table + current.slice(stop + END.length));
}

const versions = apis.reduce((n, a) => n + a.request.valid.max - a.request.valid.min + 1, 0);
console.log(`generated ${readdirSync(outDir).length} files: ${apis.length} APIs, ${versions} API versions, ${models.length} messages`);
