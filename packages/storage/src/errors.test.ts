import { readFileSync } from "node:fs";
import { ErrorCode } from "@kafscale/protocol";
import { RecordBatchError } from "@kafscale/protocol/records";
import { describe, expect, it } from "vitest";
import { isStorageError, ObjectExistsError, ObjectNotFoundError, STORAGE_ERROR_CODES, StorageError } from "./errors.js";
import { KafkaErrorCodes, kafkaErrorCode, kafkaErrorCodeFor } from "./kafka-error-code.js";

/** Rows `| \`CODE\` | why | KAFKA_NAME (n) |` of a Markdown table (in README.md or a JSDoc comment). */
function tableRows(text: string): { code: string; kafkaName: string; kafkaCode: number }[] {
  const rows: { code: string; kafkaName: string; kafkaCode: number }[] = [];
  for (const match of text.matchAll(/^[ *]*\| `([A-Z_]+)` +\|.*\| ([A-Z_]+) \((-?\d+)\) *\|$/gm)) {
    rows.push({ code: match[1]!, kafkaName: match[2]!, kafkaCode: Number(match[3]) });
  }
  return rows;
}

const registry = STORAGE_ERROR_CODES.map((code) => ({ code, kafkaCode: kafkaErrorCode(code) }));

describe("StorageError codes", () => {
  it.each([
    ["README.md", new URL("../README.md", import.meta.url)],
    ["errors.ts", new URL("./errors.ts", import.meta.url)],
  ])("are documented in %s exactly as the registry has them", (_name, url) => {
    const rows = tableRows(readFileSync(url, "utf8"));
    expect(rows.map(({ code, kafkaCode }) => ({ code, kafkaCode }))).toEqual(registry);
    for (const row of rows) expect(ErrorCode[row.kafkaName as keyof typeof ErrorCode]).toBe(row.kafkaCode);
  });

  it("map to Kafka's numbers as @kafscale/protocol has them", () => {
    for (const [name, code] of Object.entries(KafkaErrorCodes)) expect([name, ErrorCode[name as keyof typeof ErrorCode]]).toEqual([name, code]);
  });

  it("include the Kafka errors a broker needs from storage", () => {
    expect(kafkaErrorCode("CORRUPT_MESSAGE")).toBe(2);
    expect(kafkaErrorCode("INVALID_RECORD")).toBe(87);
    expect(kafkaErrorCode("UNSUPPORTED_MESSAGE_FORMAT")).toBe(43);
    expect(kafkaErrorCode("FLUSH_FAILED")).toBe(56);
    expect(kafkaErrorCode("FENCED")).toBe(6);
    expect(kafkaErrorCode("TIMEOUT")).toBe(7);
  });
});

describe("kafkaErrorCodeFor()", () => {
  it.each([
    [new StorageError("INVALID_RECORD", "x"), 87],
    [new ObjectNotFoundError("k"), 56],
    [new ObjectExistsError("k"), 56],
    [new RecordBatchError("CRC_MISMATCH", "x"), 2],
    [new RecordBatchError("UNSUPPORTED_MAGIC", "x"), 43],
    [new Error("anything else"), -1],
    ["not even an error", -1],
  ])("maps %o to %i", (err, code) => {
    expect(kafkaErrorCodeFor(err)).toBe(code);
  });
});

describe("error classes", () => {
  it("are one family with a code", () => {
    const exists = new ObjectExistsError("a/b");
    expect(exists).toBeInstanceOf(StorageError);
    expect(exists).toMatchObject({ name: "ObjectExistsError", code: "EXISTS", key: "a/b", message: 'object "a/b" already exists' });
    const missing = new ObjectNotFoundError("a/b");
    expect(missing).toMatchObject({ name: "ObjectNotFoundError", code: "NOT_FOUND", key: "a/b", message: 'object "a/b" does not exist' });
    expect(isStorageError(missing)).toBe(true);
    expect(isStorageError(missing, "EXISTS", "NOT_FOUND")).toBe(true);
    expect(isStorageError(missing, "IO")).toBe(false);
    expect(isStorageError(new Error("x"))).toBe(false);
  });
});
