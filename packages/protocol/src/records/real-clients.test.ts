import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TimestampType } from "./attributes.js";
import { verifyBatchCrc } from "./crc.js";
import { decodeBatch } from "./decode-batch.js";
import { encodeBatch } from "./encode-batch.js";
import { splitBatches } from "./iterate-batches.js";
import { recordOffset, recordTimestamp } from "./offsets.js";

/*
 * Batches written by real clients (see testdata/README.md and generate.py),
 * checked against what those clients were asked to write.
 */

const TESTDATA = new URL("./testdata/", import.meta.url);

interface ExpectedRecord {
  offsetDelta: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: { key: string; value: string | null }[];
}
const expected = JSON.parse(readFileSync(new URL("expected-records.json", TESTDATA), "utf8")) as {
  baseTimestamp: number;
  records: ExpectedRecord[];
};

const fixtures = readdirSync(TESTDATA)
  .filter((f) => f.endsWith(".hex"))
  .map((file) => {
    const [, client, codec] = /^batch-(.+)-\d+\.\d+\.\d+-(\w+)\.hex$/.exec(file)!;
    const bytes = new Uint8Array(Buffer.from(readFileSync(new URL(file, TESTDATA), "utf8").replace(/\s+/g, ""), "hex"));
    return { file, client: client!, codec: codec!, bytes };
  });

const hexOf = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString("hex"));
const payloadPrefix = (bytes: Uint8Array, n: number): string => Buffer.from(bytes.subarray(61, 61 + n)).toString("hex");

describe("batches from real clients", () => {
  it("has the ten fixtures the README lists", () => {
    expect(fixtures.map((f) => f.file).sort()).toEqual(
      ["kafka-python-2.0.2", "librdkafka-2.0.2"].flatMap((c) => ["gzip", "lz4", "none", "snappy", "zstd"].map((z) => `batch-${c}-${z}.hex`)),
    );
  });

  describe.each(fixtures)("$file", ({ codec, bytes }) => {
    it("is one complete batch with a valid CRC-32C", () => {
      const { batches, partial } = splitBatches(bytes);
      expect(partial).toBeNull();
      expect(batches).toHaveLength(1);
      expect(batches[0]!.bytes.length).toBe(bytes.length);
      expect(verifyBatchCrc(bytes)).toBe(true);
    });

    it("has the header the client wrote", () => {
      const { header } = decodeBatch(bytes);
      expect(header).toMatchObject({
        baseOffset: 0n,
        partitionLeaderEpoch: 0,
        magic: 2,
        lastOffsetDelta: expected.records.length - 1,
        baseTimestamp: BigInt(expected.baseTimestamp),
        maxTimestamp: BigInt(Math.max(...expected.records.map((r) => r.timestamp))),
        producerId: -1n,
        producerEpoch: -1,
        baseSequence: -1,
        recordCount: expected.records.length,
        attributes: { compressionName: codec, timestampType: TimestampType.CreateTime, isTransactional: false, isControl: false, hasDeleteHorizon: false },
      });
    });

    it("decodes every key, value, header, offset and timestamp exactly", () => {
      const { header, records } = decodeBatch(bytes);
      const actual = records.map((r): ExpectedRecord => ({
        offsetDelta: Number(recordOffset(header, r)),
        timestamp: Number(recordTimestamp(header, r)),
        key: hexOf(r.key),
        value: hexOf(r.value),
        headers: r.headers.map((h) => ({ key: h.key, value: hexOf(h.value) })),
      }));
      expect(actual).toEqual(expected.records);
    });
  });

  // Make sure the fixtures exercise the layouts they are meant to.
  it.each([
    ["kafka-python", "snappy", 8, "82534e4150505900"], // xerial framing
    ["librdkafka", "snappy", 1, "e4"], // raw: starts with the varint length
    ["kafka-python", "lz4", 6, "04224d186840"], // frame, content size flag
    ["librdkafka", "lz4", 6, "04224d186040"], // frame, independent 64 KiB blocks
    ["kafka-python", "zstd", 5, "28b52ffd60"], // content size, single segment
    ["librdkafka", "zstd", 5, "28b52ffd00"], // no content size
    ["librdkafka", "gzip", 3, "1f8b08"],
  ])("%s %s payload starts with %i bytes %s", (client, codec, n, prefix) => {
    const fixture = fixtures.find((f) => f.client === client && f.codec === codec)!;
    expect(payloadPrefix(fixture.bytes, n)).toBe(prefix);
  });

  it.each(["kafka-python", "librdkafka"])("encodeBatch writes %s's uncompressed batch byte for byte", (client) => {
    const fixture = fixtures.find((f) => f.client === client && f.codec === "none")!;
    const { header, records } = decodeBatch(fixture.bytes);
    const ours = encodeBatch({
      baseOffset: header.baseOffset,
      baseTimestamp: header.baseTimestamp,
      partitionLeaderEpoch: header.partitionLeaderEpoch,
      records: records.map((r) => ({ ...r })),
    });
    expect(Buffer.from(ours).equals(fixture.bytes)).toBe(true);
  });
});
