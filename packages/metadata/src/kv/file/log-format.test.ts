import { describe, expect, it } from "vitest";
import { isMetadataError } from "../../errors.js";
import { decodeBatchPayload, encodeBatchRecord, encodeLogHeader, LOG_HEADER_BYTES, RECORD_HEADER_BYTES, scanLog } from "./log-format.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("encodeBatchRecord()", () => {
  it("writes the documented layout, byte for byte", () => {
    const record = encodeBatchRecord([{ revision: 7, effects: [{ type: "put", key: "/a", value: bytes("v"), leaseId: "5" }, { type: "delete", key: "/b" }] }]);
    const payload = [
      0x01, // kind: txn batch
      0, 0, 0, 1, // one txn
      0, 0, 0, 0, 0, 0, 0, 7, // revision 7
      0, 0, 0, 2, // two effects
      0x01, 0, 0, 0, 2, 0x2f, 0x61, // put "/a"
      0, 0, 0, 0, 0, 0, 0, 5, // lease 5
      0, 0, 0, 1, 0x76, // value "v"
      0x02, 0, 0, 0, 2, 0x2f, 0x62, // delete "/b"
    ];
    expect(record.length).toBe(RECORD_HEADER_BYTES + payload.length);
    expect([...record.subarray(0, 4)]).toEqual([0, 0, 0, payload.length]);
    expect([...record.subarray(RECORD_HEADER_BYTES)]).toEqual(payload);
  });

  it("round-trips through decodeBatchPayload()", () => {
    const txns = [
      { revision: 1, effects: [{ type: "put" as const, key: "/ü/😀", value: new Uint8Array([0, 255]) }] },
      { revision: 2 ** 40, effects: [{ type: "delete" as const, key: "/x" }] },
    ];
    const record = encodeBatchRecord(txns);
    expect(decodeBatchPayload(record.subarray(RECORD_HEADER_BYTES), "test")).toEqual(txns);
  });
});

describe("scanLog()", () => {
  const header = encodeLogHeader();
  const r1 = encodeBatchRecord([{ revision: 1, effects: [{ type: "put", key: "/a", value: bytes("1") }] }]);
  const r2 = encodeBatchRecord([{ revision: 2, effects: [{ type: "put", key: "/b", value: bytes("2") }] }]);

  it("reads an empty file as needing a header", () => {
    expect(scanLog(Buffer.alloc(0), "f")).toEqual({ txns: [], intactBytes: 0, needsHeader: true });
  });

  it("reads intact records", () => {
    const scan = scanLog(Buffer.concat([header, r1, r2]), "f");
    expect(scan.txns.map((t) => t.revision)).toEqual([1, 2]);
    expect(scan.intactBytes).toBe(LOG_HEADER_BYTES + r1.length + r2.length);
    expect(scan.tornTail).toBeUndefined();
  });

  it("reports a torn tail at the offset of the damaged last record", () => {
    const scan = scanLog(Buffer.concat([header, r1, r2.subarray(0, 20)]), "f");
    expect(scan.txns.map((t) => t.revision)).toEqual([1]);
    expect(scan.tornTail).toEqual({ offset: LOG_HEADER_BYTES + r1.length, bytes: 20, reason: expect.stringContaining("runs past the end") });
  });

  it("throws CORRUPT_DATA for a damaged record followed by an intact one", () => {
    const damaged = Buffer.from(r1);
    damaged[2] ^= 0x10; // length: header checksum no longer matches
    let err: unknown;
    try {
      scanLog(Buffer.concat([header, damaged, r2]), "/data/metadata.wal");
    } catch (e) {
      err = e;
    }
    expect(isMetadataError(err, "CORRUPT_DATA")).toBe(true);
    expect((err as Error).message).toContain(`/data/metadata.wal is corrupt at byte 8 (record header checksum mismatch) after revision none, and an intact record follows at byte ${8 + r1.length}`);
  });

  it("throws CORRUPT_DATA for another file format or version", () => {
    expect(() => scanLog(Buffer.from("PK\u0003\u0004zipfile"), "f")).toThrow(/is not a Kafscale metadata log/);
    const v2 = Buffer.from(header);
    v2[7] = 2;
    expect(() => scanLog(v2, "f")).toThrow(/log format version 2/);
  });
});
