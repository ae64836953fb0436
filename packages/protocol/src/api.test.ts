import { describe, expect, it } from "vitest";
import { allApis, apiByKey, decodeRequest, decodeResponse, encodeRequest, encodeRequestFrame, encodeResponseFrame } from "./api.js";
import { decodeRequestHeader } from "./headers.js";
import { ApiKey } from "./gen/api-registry.js";
import { FrameSplitter } from "./frame-splitter.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("apiByKey() and allApis()", () => {
  it("describe each API with its versions and flexible versions", () => {
    expect(apiByKey(0)).toMatchObject({ name: "Produce", minVersion: 0, maxVersion: 11, flexibleMinVersion: 9 });
    expect(apiByKey(18)).toMatchObject({ name: "ApiVersions", minVersion: 0, maxVersion: 4, flexibleMinVersion: 3 });
    expect(apiByKey(17)).toMatchObject({ name: "SaslHandshake", flexibleMinVersion: -1 });
    expect(apiByKey(12345)).toBeUndefined();
    const keys = allApis().map((a) => a.apiKey);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    expect(keys.length).toBe(88);
  });
});

describe("decodeRequest()", () => {
  it("decodes by API key and version", () => {
    const body = Buffer.from("00000001000474657374", "hex"); // Metadata v1: one topic "test"
    expect(decodeRequest(ApiKey.Metadata, 1, body)).toEqual({ topics: [{ name: "test" }] });
  });

  it("ignores bytes after the body, as Kafka does", () => {
    const body = Buffer.from("00000001000474657374" + "000000", "hex");
    expect(decodeRequest(ApiKey.Metadata, 1, body)).toEqual({ topics: [{ name: "test" }] });
  });

  it("refuses unknown API keys and versions with typed errors", () => {
    expect(() => decodeRequest(999, 0, new Uint8Array())).toThrow(expect.objectContaining({ code: "UNKNOWN_API_KEY", message: "unknown API key 999" }));
    expect(() => decodeRequest(ApiKey.Produce, 12, new Uint8Array())).toThrow(
      expect.objectContaining({ code: "UNSUPPORTED_VERSION", message: "Produce has versions 0-11, not 12" }),
    );
    expect(() => decodeResponse(ApiKey.Fetch, -1, new Uint8Array())).toThrow(expect.objectContaining({ code: "UNSUPPORTED_VERSION" }));
    expect(() => encodeRequest(ApiKey.Fetch, 1.5, {} as never)).toThrow(expect.objectContaining({ code: "UNSUPPORTED_VERSION" }));
  });
});

describe("encodeRequestFrame() and encodeResponseFrame()", () => {
  it("frame a request with size prefix and the header version of its API version", () => {
    const chunks = encodeRequestFrame(ApiKey.Metadata, 1, 7, "c", { topics: [{ name: "test" }] });
    const frames = new FrameSplitter().push(Buffer.concat(chunks));
    expect(frames.length).toBe(1);
    const { header, bodyOffset } = decodeRequestHeader(frames[0]!);
    expect(header).toEqual({ requestApiKey: 3, requestApiVersion: 1, correlationId: 7, clientId: "c" });
    expect(hex(frames[0]!.subarray(bodyOffset))).toBe("00000001000474657374");
  });

  it("keep large records by reference in a response frame", () => {
    const records = new Uint8Array(64 * 1024).fill(7);
    const chunks = encodeResponseFrame(ApiKey.Produce, 3, 1, { responses: [], throttleTimeMs: 0 });
    expect(hex(Buffer.concat(chunks))).toBe("0000000c" + "00000001" + "00000000" + "00000000");
    const fetch = encodeResponseFrame(ApiKey.Fetch, 4, 9, {
      throttleTimeMs: 0,
      responses: [{ topic: "t", partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 1n, lastStableOffset: 1n, abortedTransactions: null, records }] }],
    });
    expect(fetch.some((c) => c === records)).toBe(true);
    const total = fetch.reduce((n, c) => n + c.length, 0);
    expect(new DataView(fetch[0]!.buffer, fetch[0]!.byteOffset).getInt32(0)).toBe(total - 4);
  });
});
