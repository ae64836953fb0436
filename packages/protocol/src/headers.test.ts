import { describe, expect, it } from "vitest";
import {
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  requestHeaderVersion,
  responseHeaderVersion,
} from "./headers.js";
import { ApiKey } from "./gen/api-registry.js";

describe("requestHeaderVersion()", () => {
  it.each([
    [ApiKey.Produce, 8, 1],
    [ApiKey.Produce, 9, 2],
    [ApiKey.Metadata, 12, 2],
    [ApiKey.ApiVersions, 2, 1],
    [ApiKey.ApiVersions, 3, 2],
    [ApiKey.ApiVersions, 99, 2],
    [ApiKey.ControlledShutdown, 0, 0],
    [ApiKey.ControlledShutdown, 1, 1],
    [ApiKey.SaslHandshake, 1, 1],
    [9999, 0, 1],
  ])("API %i v%i uses request header v%i", (apiKey, version, header) => {
    expect(requestHeaderVersion(apiKey, version)).toBe(header);
  });
});

describe("responseHeaderVersion()", () => {
  it.each([
    [ApiKey.Produce, 8, 0],
    [ApiKey.Produce, 9, 1],
    [ApiKey.Fetch, 12, 1],
    [ApiKey.ApiVersions, 3, 0],
    [ApiKey.ApiVersions, 4, 0],
  ])("API %i v%i uses response header v%i", (apiKey, version, header) => {
    expect(responseHeaderVersion(apiKey, version)).toBe(header);
  });
});

describe("decodeRequestHeader()", () => {
  it("reads a flexible header with an INT16 client id and tagged fields, and finds the body", () => {
    // Metadata v12, correlation id 3, client id "rdkafka", no tagged fields, then a body byte.
    const frame = Buffer.from("0003000c00000003000772646b61666b6100ff", "hex");
    const { header, headerVersion, bodyOffset } = decodeRequestHeader(frame);
    expect(header).toEqual({ requestApiKey: 3, requestApiVersion: 12, correlationId: 3, clientId: "rdkafka" });
    expect(headerVersion).toBe(2);
    expect(bodyOffset).toBe(frame.length - 1);
    expect(Buffer.from(encodeRequestHeader(header, headerVersion)).toString("hex")).toBe("0003000c00000003000772646b61666b6100");
  });

  it("reads the header of an ApiVersions request of a version newer than the spec's", () => {
    const frame = Buffer.from("0012006300000001ffff00", "hex");
    expect(decodeRequestHeader(frame)).toEqual({
      header: { requestApiKey: 18, requestApiVersion: 99, correlationId: 1, clientId: null },
      headerVersion: 2,
      bodyOffset: 11,
    });
  });

  it("refuses a frame too short for a header with a typed error", () => {
    expect(() => decodeRequestHeader(Uint8Array.of(0, 3))).toThrow(expect.objectContaining({ code: "TRUNCATED" }));
    expect(() => decodeRequestHeader(Buffer.from("0003000c0000", "hex"))).toThrow(expect.objectContaining({ code: "TRUNCATED" }));
  });
});

describe("decodeResponseHeader()", () => {
  it("reads v0 and v1", () => {
    expect(decodeResponseHeader(Buffer.from("0000002a99", "hex"), 0)).toEqual({ header: { correlationId: 42 }, bodyOffset: 4 });
    expect(decodeResponseHeader(Buffer.from("0000002a0099", "hex"), 1)).toEqual({ header: { correlationId: 42 }, bodyOffset: 5 });
  });
});
