/**
 * Turns captured exchanges into fixture files:
 *   <fixturesDir>/<folder>/<api-kebab>-<request|response>-v<N>-<seq>.hex
 * one frame per file (header + body, no size prefix), lowercase hex, one line.
 * Requests go to the client's folder, responses to the mock's folder.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CapturedExchange } from "../capture-proxy.js";
import { type ApiSpec, requestHeaderVersion, responseHeaderVersion } from "./kafka-spec.js";

export interface MockInfo {
  /** librdkafka version of the mock, e.g. "2.0.2". */
  readonly version: string;
  /** Fixture folder for its responses. */
  readonly folder: string;
}

export interface SessionCapture {
  /** Client folder name, e.g. "kcat". */
  readonly client: string;
  readonly mock: MockInfo;
  readonly exchanges: readonly CapturedExchange[];
}

export type Direction = "request" | "response";

export interface FixtureEntry {
  /** Path relative to the fixtures directory, e.g. "kcat/produce-request-v7-001.hex". */
  file: string;
  readonly folder: string;
  readonly direction: Direction;
  readonly apiKey: number;
  readonly apiName: string;
  /** The version the frame is encoded in (the one in the file name). */
  readonly version: number;
  readonly headerVersion: number;
  readonly correlationId: number;
  readonly size: number;
  /** The client whose request this is, or whose request this response answers. */
  readonly client: string;
  /** librdkafka version of the mock cluster that took part. */
  readonly mock: string;
  /** Requests: what happened to it. */
  readonly outcome?: string;
  /** Responses: the version of the request it answers, when it differs from `version`. */
  readonly requestVersion?: number;
  /** Responses: the request fixture it answers, when that request was kept. */
  request?: string;
  readonly note?: string;
  /** Not written to index.json. */
  readonly bytes: Buffer;
  readonly order: number;
  readonly exchange: CapturedExchange;
}

const UNSUPPORTED_VERSION = 35;

/** Kafka answers an ApiVersions request of a version it does not support in v0 (KIP-511). */
function responseVersion(exchange: CapturedExchange, response: Buffer): { version: number; note?: string } {
  if (exchange.apiKey === 18 && response.length >= 6 && response.readInt16BE(4) === UNSUPPORTED_VERSION) {
    return {
      version: 0,
      note: `UNSUPPORTED_VERSION answer to an ApiVersions v${exchange.apiVersion} request (encoded as v0 per KIP-511)`,
    };
  }
  return { version: exchange.apiVersion };
}

/** Identical frames are duplicates even when their correlation ids differ. */
function dedupeKey(direction: Direction, bytes: Buffer): string {
  const normalized = Buffer.from(bytes);
  normalized.fill(0, direction === "request" ? 4 : 0, direction === "request" ? 8 : 4);
  return normalized.toString("hex");
}

export interface SelectOptions {
  /** Most fixtures kept per folder, direction, API and version. */
  readonly capPerKey: number;
}

export function selectFixtures(
  sessions: readonly SessionCapture[],
  apis: Map<number, ApiSpec>,
  options: SelectOptions,
): FixtureEntry[] {
  const candidates: FixtureEntry[] = [];
  let order = 0;
  for (const session of sessions) {
    for (const exchange of session.exchanges) {
      const api = apis.get(exchange.apiKey);
      const apiName = api?.kebab ?? `api-${exchange.apiKey}`;
      candidates.push({
        file: "",
        folder: session.client,
        direction: "request",
        apiKey: exchange.apiKey,
        apiName,
        version: exchange.apiVersion,
        headerVersion: requestHeaderVersion(api, exchange.apiVersion),
        correlationId: exchange.correlationId,
        size: exchange.request.length,
        client: session.client,
        mock: session.mock.version,
        outcome: exchange.outcome,
        bytes: exchange.request,
        order: order++,
        exchange,
      });
      if (exchange.response) {
        const { version, note } = responseVersion(exchange, exchange.response);
        candidates.push({
          file: "",
          folder: session.mock.folder,
          direction: "response",
          apiKey: exchange.apiKey,
          apiName,
          version,
          headerVersion: responseHeaderVersion(api, version),
          correlationId: exchange.correlationId,
          size: exchange.response.length,
          client: session.client,
          mock: session.mock.version,
          ...(version !== exchange.apiVersion ? { requestVersion: exchange.apiVersion } : {}),
          ...(note ? { note } : {}),
          bytes: exchange.response,
          order: order++,
          exchange,
        });
      }
    }
  }

  const groups = new Map<string, FixtureEntry[]>();
  /** Dedupe key → the first entry with those bytes (the one that may be kept). */
  const firstByBytes = new Map<string, FixtureEntry>();
  const bytesKeyOf = new Map<FixtureEntry, string>();
  for (const entry of candidates) {
    const key = `${entry.folder}/${entry.apiName}-${entry.direction}-v${entry.version}`;
    const dedupe = `${key}/${dedupeKey(entry.direction, entry.bytes)}`;
    bytesKeyOf.set(entry, dedupe);
    if (firstByBytes.has(dedupe)) continue;
    firstByBytes.set(dedupe, entry);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(entry);
  }

  const selected: FixtureEntry[] = [];
  for (const [key, group] of groups) {
    selected.push(...pick(group, options.capPerKey).map((entry, i) => {
      entry.file = `${key}-${String(i + 1).padStart(3, "0")}.hex`;
      return entry;
    }));
  }

  // A response names the request fixture with the same bytes (bar the correlation id) as the
  // request it answered, when one was kept.
  const requestOf = new Map<CapturedExchange, FixtureEntry>();
  for (const entry of candidates) if (entry.direction === "request") requestOf.set(entry.exchange, entry);
  const kept = new Set(selected);
  for (const entry of selected) {
    if (entry.direction !== "response") continue;
    const request = requestOf.get(entry.exchange);
    const keptRequest = request && firstByBytes.get(bytesKeyOf.get(request)!);
    if (keptRequest && kept.has(keptRequest)) entry.request = keptRequest.file;
  }
  return selected.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Keeps at most `cap` frames, spread over the clients (round robin, in capture order) and
 * preferring frames of sizes not yet kept, for variety.
 */
function pick(group: FixtureEntry[], cap: number): FixtureEntry[] {
  if (group.length <= cap) return group;
  const byClient = new Map<string, FixtureEntry[]>();
  for (const entry of group) {
    let list = byClient.get(entry.client);
    if (!list) byClient.set(entry.client, (list = []));
    list.push(entry);
  }
  const chosen = new Set<FixtureEntry>();
  const sizes = new Set<number>();
  for (const newSizeOnly of [true, false]) {
    let progress = true;
    while (chosen.size < cap && progress) {
      progress = false;
      for (const entries of byClient.values()) {
        if (chosen.size >= cap) break;
        const next = entries.find((e) => !chosen.has(e) && (!newSizeOnly || !sizes.has(e.size)));
        if (!next) continue;
        chosen.add(next);
        sizes.add(next.size);
        progress = true;
      }
    }
  }
  return group.filter((entry) => chosen.has(entry));
}

/** Replaces the .hex files of every folder in `folders` with `entries`. */
export function writeFixtureFiles(fixturesDir: string, folders: readonly string[], entries: readonly FixtureEntry[]): void {
  for (const folder of folders) {
    const dir = join(fixturesDir, folder);
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir)) if (file.endsWith(".hex")) rmSync(join(dir, file));
  }
  for (const entry of entries) writeFileSync(join(fixturesDir, entry.file), entry.bytes.toString("hex") + "\n");
}

/** index.json rows: everything but the bytes. */
export function indexRows(entries: readonly FixtureEntry[]): Record<string, unknown>[] {
  return entries.map(({ bytes: _bytes, order: _order, exchange: _exchange, folder: _folder, ...row }) => row);
}
