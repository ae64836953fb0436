/**
 * Frames captured from real Kafka clients and from librdkafka's mock cluster (see
 * test/fixtures/README.md): each one is split into header and body, decoded, re-encoded, and
 * must come back byte for byte. The codec never wrote these bytes, so a symmetric bug in its
 * reader and writer cannot hide here.
 *
 * Everything is derived from the file names, `<folder>/<api>-<request|response>-v<N>-<seq>.hex`;
 * index.json is only checked to agree with them.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type ApiDescriptor,
  Reader,
  allApis,
  decodeRequest,
  decodeRequestHeader,
  decodeResponse,
  decodeResponseHeader,
  encodeRequest,
  encodeRequestHeader,
  encodeResponse,
  encodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
} from "../src/index.js";

const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/** Fewest fixtures each folder must hold (a broken capture shows up here first). */
const MIN_FIXTURES: Record<string, number> = {
  kcat: 40,
  "kafka-python": 40,
  "confluent-kafka": 40,
  kafkajs: 40,
  "platformatic-kafka": 20,
  "librdkafka-mock": 60,
  "librdkafka-mock-2.12": 60,
};

type Direction = "request" | "response";

interface Fixture {
  /** "<folder>/<file>" */
  readonly path: string;
  readonly folder: string;
  readonly api: ApiDescriptor;
  readonly direction: Direction;
  readonly version: number;
  readonly frame: Buffer;
}

/**
 * Frames the librdkafka mock cluster sent that are not valid Kafka. Real brokers and clients
 * do not do this; the codec must not be bent to accept it. Each rule recognises its frames by
 * their bytes (file numbers change when fixtures are re-captured) and says exactly what the
 * codec must do with them. Every rule must match at least one fixture.
 */
interface OffSpecRule {
  readonly name: string;
  readonly folders: readonly string[];
  readonly api: string;
  readonly direction: Direction;
  readonly version: number;
  /** Picks the frames of this rule among those of its folder, API and version. */
  readonly matches: (frame: Buffer) => boolean;
  readonly expect:
    | { readonly decodeError: RegExp }
    /** Decodes, and re-encodes to the frame minus these trailing bytes (hex). */
    | { readonly trailing: string };
}

const MOCKS = ["librdkafka-mock", "librdkafka-mock-2.12"];

const OFF_SPEC: readonly OffSpecRule[] = [
  {
    // Answer to an ApiVersions v3 request, which both mocks do not support (max v2). Kafka
    // answers UNSUPPORTED_VERSION in v0 (KIP-511); the mock writes error 35, then a one-byte
    // count (1, meant as a compact array of 0 entries), one v0-style entry (18, 0, 2) and a
    // throttle time. Read as v0 the INT32 array length is 0x01001200.
    name: "ApiVersions UNSUPPORTED_VERSION answer in a half-v0, half-v3 encoding",
    folders: MOCKS,
    api: "api-versions",
    direction: "response",
    version: 0,
    matches: (frame) => frame.readInt16BE(4) === 35,
    expect: { decodeError: /array of 16781824 bytes declared at offset 10/ },
  },
  {
    // kafka-python's list_consumer_group_offsets sends OffsetFetch v3 with Topics = null (all
    // topics); the mock answers Topics = null (INT32 -1), which is not nullable in any version.
    // (kafka-python then fails with "'NoneType' object is not iterable".)
    name: "OffsetFetch v3 response with a null Topics array",
    folders: MOCKS,
    api: "offset-fetch",
    direction: "response",
    version: 3,
    matches: (frame) => frame.readInt32BE(8) === -1,
    expect: { decodeError: /Topics is not nullable at this version/ },
  },
  {
    // LeaveGroup v3 (kafkajs) answered with ThrottleTimeMs and ErrorCode only: the mock writes
    // the v1-v2 body and the Members array that v3 added is missing.
    name: "LeaveGroup v3 response without its Members array",
    folders: ["librdkafka-mock-2.12"],
    api: "leave-group",
    direction: "response",
    version: 3,
    matches: (frame) => frame.length === 10,
    expect: { decodeError: /needed 4 bytes at offset 10, 0 left/ },
  },
  {
    // LeaveGroup v4 (flexible, @platformatic/kafka) answered with ThrottleTimeMs, ErrorCode and
    // the body's empty tagged-field section: Members is missing again, and its place holds the
    // 0x00 of the tagged fields, which reads as a null compact array.
    name: "LeaveGroup v4 response without its Members array",
    folders: ["librdkafka-mock-2.12"],
    api: "leave-group",
    direction: "response",
    version: 4,
    matches: (frame) => frame.length === 12 && frame[11] === 0,
    expect: { decodeError: /Members is not nullable at this version/ },
  },
  {
    // Every flexible Metadata response of the 2.12.0 mock ends with one extra 0x00: its handler
    // writes the body's empty tagged-field section, and its send path appends another.
    name: "Metadata v12 response with one trailing 0x00 byte",
    folders: ["librdkafka-mock-2.12"],
    api: "metadata",
    direction: "response",
    version: 12,
    matches: () => true,
    expect: { trailing: "00" },
  },
];

function kebabCase(pascal: string): string {
  return pascal
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

const apisByKebab = new Map(allApis().map((api) => [kebabCase(api.name), api]));

function loadFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const folder of readdirSync(FIXTURES_DIR, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(FIXTURES_DIR, folder.name)).sort()) {
      if (!file.endsWith(".hex")) continue;
      const path = `${folder.name}/${file}`;
      const m = /^([a-z0-9-]+)-(request|response)-v(\d+)-\d{3}\.hex$/.exec(file);
      if (!m) throw new Error(`${path}: name is not <api>-<request|response>-v<N>-<seq>.hex`);
      const api = apisByKebab.get(m[1]!);
      if (!api) throw new Error(`${path}: no API named ${m[1]}`);
      const text = readFileSync(join(FIXTURES_DIR, path), "utf8");
      if (!/^([0-9a-f]{2})+\n?$/.test(text)) throw new Error(`${path}: not one line of lowercase hex`);
      fixtures.push({
        path,
        folder: folder.name,
        api,
        direction: m[2] as Direction,
        version: Number(m[3]),
        frame: Buffer.from(text.trim(), "hex"),
      });
    }
  }
  return fixtures;
}

interface RoundTrip {
  /** Header + body as the codec writes them back. */
  readonly reencoded: Buffer;
  /** Bytes of the frame the decoder read (header + body). */
  readonly consumed: number;
}

/** Splits, decodes and re-encodes one frame; throws what the codec throws. */
function roundTrip(f: Fixture): RoundTrip {
  const { api, version, frame } = f;
  if (f.direction === "request") {
    const { header, headerVersion, bodyOffset } = decodeRequestHeader(frame);
    expect(header.requestApiKey).toBe(api.apiKey);
    expect(header.requestApiVersion).toBe(version);
    expect(headerVersion).toBe(requestHeaderVersion(api.apiKey, version));
    const reader = new Reader(frame, bodyOffset);
    const body = api.request.read(reader, version);
    expect(decodeRequest(api.apiKey, version, frame.subarray(bodyOffset))).toEqual(body);
    const reencoded = Buffer.concat([encodeRequestHeader(header, headerVersion), encodeRequest(api.apiKey, version, body)]);
    return { reencoded, consumed: reader.pos };
  }
  const headerVersion = responseHeaderVersion(api.apiKey, version);
  const { header, bodyOffset } = decodeResponseHeader(frame, headerVersion);
  const reader = new Reader(frame, bodyOffset);
  const body = api.response.read(reader, version);
  expect(decodeResponse(api.apiKey, version, frame.subarray(bodyOffset))).toEqual(body);
  const reencoded = Buffer.concat([encodeResponseHeader(header, headerVersion), encodeResponse(api.apiKey, version, body)]);
  return { reencoded, consumed: reader.pos };
}

function offSpecRule(f: Fixture): OffSpecRule | undefined {
  return OFF_SPEC.find(
    (rule) =>
      rule.folders.includes(f.folder) &&
      rule.api === kebabCase(f.api.name) &&
      rule.direction === f.direction &&
      rule.version === f.version &&
      rule.matches(f.frame),
  );
}

const fixtures = loadFixtures();
const folders = [...new Set(fixtures.map((f) => f.folder))].sort();

describe("captured fixtures", () => {
  it("fill every client and mock folder", () => {
    expect(folders).toEqual(Object.keys(MIN_FIXTURES).sort());
    for (const [folder, min] of Object.entries(MIN_FIXTURES)) {
      const count = fixtures.filter((f) => f.folder === folder).length;
      expect(count, folder).toBeGreaterThanOrEqual(min);
    }
  });

  it("keep requests in client folders and responses in mock folders", () => {
    for (const f of fixtures) {
      expect(f.direction, f.path).toBe(MOCKS.includes(f.folder) ? "response" : "request");
    }
  });

  it("agree with index.json", () => {
    const index = JSON.parse(readFileSync(join(FIXTURES_DIR, "index.json"), "utf8")) as {
      fixtures: { file: string; apiKey: number; direction: Direction; version: number; size: number }[];
    };
    const byFile = new Map(index.fixtures.map((row) => [row.file, row]));
    expect([...byFile.keys()].sort()).toEqual(fixtures.map((f) => f.path).sort());
    for (const f of fixtures) {
      expect(byFile.get(f.path), f.path).toMatchObject({
        apiKey: f.api.apiKey,
        direction: f.direction,
        version: f.version,
        size: f.frame.length,
      });
    }
  });

  it("has fixtures for every off-spec rule", () => {
    for (const rule of OFF_SPEC) {
      expect(fixtures.some((f) => offSpecRule(f) === rule), rule.name).toBe(true);
    }
  });
});

for (const folder of folders) {
  describe(`fixtures from ${folder}`, () => {
    for (const f of fixtures.filter((x) => x.folder === folder)) {
      const rule = offSpecRule(f);
      if (!rule) {
        it(`${f.path} decodes and re-encodes to the same bytes`, () => {
          const { reencoded, consumed } = roundTrip(f);
          expect(consumed, "bytes after the body").toBe(f.frame.length);
          expect(reencoded.toString("hex")).toBe(f.frame.toString("hex"));
        });
      } else if ("decodeError" in rule.expect) {
        const { decodeError } = rule.expect;
        it(`${f.path} is off-spec (${rule.name}) and does not decode`, () => {
          expect(() => roundTrip(f)).toThrow(decodeError);
        });
      } else {
        const { trailing } = rule.expect;
        it(`${f.path} is off-spec (${rule.name}): re-encodes to the frame minus ${trailing.length / 2} trailing byte(s)`, () => {
          const { reencoded, consumed } = roundTrip(f);
          expect(f.frame.subarray(consumed).toString("hex")).toBe(trailing);
          expect(reencoded.toString("hex")).toBe(f.frame.subarray(0, consumed).toString("hex"));
        });
      }
    }
  });
}
