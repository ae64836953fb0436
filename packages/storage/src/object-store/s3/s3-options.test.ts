import { describe, expect, it } from "vitest";
import { createS3ObjectStore } from "./s3-object-store.js";
import { loggableEndpoint, resolveS3Options, S3_DEFAULTS } from "./s3-options.js";

const base = { bucket: "my-bucket", region: "us-east-1" };

describe("resolveS3Options()", () => {
  it("applies the documented defaults", () => {
    expect(resolveS3Options(base)).toMatchObject({
      requestTimeoutMs: 5000,
      maxAttempts: 6,
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 2000,
      operationTimeoutMs: 15_000,
      maxConcurrency: 64,
      prefix: "",
      forcePathStyle: false,
    });
    expect(S3_DEFAULTS.maxConcurrency).toBe(64);
  });

  it.each([
    ["a/b", "a/b/"],
    ["/a/b/", "a/b/"],
    ["", ""],
  ])("normalizes the prefix %j to %j", (prefix, expected) => {
    expect(resolveS3Options({ ...base, prefix }).prefix).toBe(expected);
  });

  it.each([
    [{ bucket: "No_Such" }, /bucket name/],
    [{ bucket: "ab" }, /bucket name/],
    [{ region: "" }, /region/],
    [{ requestTimeoutMs: 0 }, /requestTimeoutMs 0/],
    [{ maxAttempts: 1.5 }, /maxAttempts 1.5/],
    [{ maxConcurrency: -1 }, /maxConcurrency -1/],
    [{ prefix: "a/../b" }, /prefix/],
  ])("refuses %j with INVALID_ARGUMENT", (bad, message) => {
    expect(() => resolveS3Options({ ...base, ...bad })).toThrow(message);
    expect(() => createS3ObjectStore({ ...base, ...bad })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

describe("loggableEndpoint()", () => {
  it("drops user and password from the endpoint before it reaches a log line", () => {
    expect(loggableEndpoint("http://key:secret@127.0.0.1:7480")).toBe("http://127.0.0.1:7480/");
    expect(loggableEndpoint(undefined)).toBe("aws");
    expect(loggableEndpoint("not a url")).toBe("(unparsable endpoint)");
  });
});
