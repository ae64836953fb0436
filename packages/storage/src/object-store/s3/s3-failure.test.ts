import { describe, expect, it } from "vitest";
import { ObjectExistsError, ObjectNotFoundError } from "../../errors.js";
import { classifyS3Error, toStorageError } from "./s3-failure.js";

/** The shape of an SDK service error (what `@aws-sdk/client-s3` throws for an HTTP error answer). */
const answered = (status: number, name: string): Error => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const transport = (code: string, name = "Error"): Error => Object.assign(new Error(`socket: ${code}`), { code, name });

describe("classifyS3Error()", () => {
  it.each([
    [answered(503, "SlowDown"), true, false],
    [answered(500, "InternalError"), true, false],
    [answered(502, "Unknown"), true, false],
    [answered(429, "TooManyRequests"), true, false],
    [answered(408, "RequestTimeout"), true, true],
    [answered(400, "RequestTimeout"), true, false],
    [answered(409, "ConditionalRequestConflict"), true, false],
    [answered(404, "NoSuchKey"), false, false],
    [answered(412, "PreconditionFailed"), false, false],
    [answered(416, "InvalidRange"), false, false],
    [answered(403, "AccessDenied"), false, false],
    [answered(400, "InvalidArgument"), false, false],
    [transport("ECONNRESET"), true, false],
    [transport("ECONNREFUSED"), true, false],
    [transport("ETIMEDOUT", "TimeoutError"), true, true],
  ])("sorts %s: retriable %s, timed out %s", (err, retriable, timedOut) => {
    expect(classifyS3Error(err, false)).toMatchObject({ retriable, timedOut });
  });

  it("treats an attempt our own timer aborted as a retriable timeout", () => {
    expect(classifyS3Error(Object.assign(new Error("aborted"), { name: "AbortError" }), true)).toMatchObject({ retriable: true, timedOut: true, name: "RequestTimeout" });
  });

  it("keeps S3's error code and status, not the SDK object", () => {
    const f = classifyS3Error(Object.assign(answered(503, "SlowDown"), { Code: "SlowDown", message: "Please reduce your request rate." }), false);
    expect(f).toEqual({ retriable: true, timedOut: false, status: 503, name: "SlowDown", message: "Please reduce your request rate." });
  });
});

describe("toStorageError()", () => {
  const f = (status: number | undefined, name: string, timedOut = false) => ({ retriable: false, timedOut, status, name, message: name });

  it.each([
    [f(404, "NoSuchKey"), "NOT_FOUND"],
    [f(404, "NoSuchBucket"), "IO"],
    [f(412, "PreconditionFailed"), "EXISTS"],
    [f(416, "InvalidRange"), "INVALID_RANGE"],
    [f(400, "KeyTooLongError"), "INVALID_KEY"],
    [f(403, "AccessDenied"), "IO"],
    [f(503, "SlowDown"), "IO"],
    [f(undefined, "ECONNRESET"), "IO"],
    [f(undefined, "RequestTimeout", true), "TIMEOUT"],
  ])("maps %j to %s", (failure, code) => {
    expect(toStorageError(failure, "get", "a/b", 1).code).toBe(code);
  });

  it("names the key (without the store prefix) and the attempts", () => {
    expect(toStorageError(f(404, "NoSuchKey"), "get", "a/b", 1)).toBeInstanceOf(ObjectNotFoundError);
    expect((toStorageError(f(412, "PreconditionFailed"), "put", "a/b", 2) as ObjectExistsError).key).toBe("a/b");
    const io = toStorageError(f(503, "SlowDown"), "put", "a/b", 6);
    expect(io.message).toBe('S3 put "a/b" failed after 6 attempts: HTTP 503 SlowDown: SlowDown');
    expect(io.cause).toBeInstanceOf(Error);
    expect((io.cause as Error).constructor).toBe(Error);
  });
});
