/**
 * Benchmark payloads: 16 partitions x one 64 KiB RecordBatch v2 each = 1 MiB of record
 * batches, built here byte by byte (uncompressed, magic 2, correct CRC-32C) so the
 * benchmark does not depend on the records helpers being finished. When
 * `@kafscale/protocol/records` is built, the benchmark cross-checks these batches with it.
 */
import type { FetchResponse, ProduceRequest } from "@kafscale/protocol";

export const PARTITIONS = 16;
export const BATCH_BYTES = 64 * 1024;
export const RECORDS_BYTES = PARTITIONS * BATCH_BYTES; // 1 MiB
export const TOPIC = "bench-events";
export const TOPIC_ID = "5f8c7a3e-2b1d-4c6e-9a0f-1e2d3c4b5a69";
/** Value size of every record but the last of a batch (the last one fills the batch to 64 KiB exactly). */
export const VALUE_BYTES = 1000;
export const KEY_BYTES = 16;
export const BASE_TIMESTAMP = 1_763_712_000_000n; // 2025-11-21T08:00:00Z

// ---------------------------------------------------------------- CRC-32C (Castagnoli)

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC32C_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------- varints

function zigzag(v: number): number {
  return ((v << 1) ^ (v >> 31)) >>> 0;
}
function uvarintSize(u: number): number {
  let n = 1;
  while (u >= 0x80) {
    u >>>= 7;
    n++;
  }
  return n;
}
function writeUvarint(out: Uint8Array, pos: number, u: number): number {
  while (u >= 0x80) {
    out[pos++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  out[pos++] = u;
  return pos;
}
const varintSize = (v: number): number => uvarintSize(zigzag(v));
const writeVarint = (out: Uint8Array, pos: number, v: number): number => writeUvarint(out, pos, zigzag(v));

// ---------------------------------------------------------------- records and batches

export interface BenchRecord {
  key: Buffer;
  value: Buffer;
  /** Milliseconds after the batch's base timestamp (small: fits a 32-bit varint). */
  timestampDelta: number;
}

/** Size of a record's body (after its length varint): no headers. */
function recordBodySize(r: BenchRecord, offsetDelta: number): number {
  return (
    1 + // attributes
    varintSize(r.timestampDelta) +
    varintSize(offsetDelta) +
    varintSize(r.key.length) +
    r.key.length +
    varintSize(r.value.length) +
    r.value.length +
    1 // header count 0
  );
}
function recordSize(r: BenchRecord, offsetDelta: number): number {
  const body = recordBodySize(r, offsetDelta);
  return varintSize(body) + body;
}

const RECORDS_OFFSET = 61;

function filler(n: number, seed: number): Buffer {
  // Text-like, mildly varied bytes (a JSON-ish event), deterministic.
  const b = Buffer.allocUnsafe(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = 0x61 + ((x >>> 16) % 26);
  }
  return b;
}

/** Records that fill one batch to exactly `BATCH_BYTES` bytes: 1000-byte values, the last one sized to fit. */
export function recordsForOneBatch(partition: number): BenchRecord[] {
  const records: BenchRecord[] = [];
  let used = RECORDS_OFFSET;
  const key = (i: number): Buffer => Buffer.from(`user-${String(partition * 1000 + i).padStart(KEY_BYTES - 5, "0")}`);
  for (let i = 0; ; i++) {
    const full: BenchRecord = { key: key(i), value: filler(VALUE_BYTES, partition * 1000 + i), timestampDelta: i };
    const fullSize = recordSize(full, i);
    // Leave room for at least one more record of a reasonable size.
    if (used + fullSize + 64 <= BATCH_BYTES) {
      records.push(full);
      used += fullSize;
      continue;
    }
    // Last record: find the value length that makes the batch exactly BATCH_BYTES.
    for (let v = BATCH_BYTES - used; v >= 0; v--) {
      const last: BenchRecord = { key: key(i), value: filler(v, partition * 1000 + i), timestampDelta: i };
      if (used + recordSize(last, i) === BATCH_BYTES) {
        records.push(last);
        return records;
      }
    }
    throw new Error("cannot fill the batch exactly");
  }
}

export interface BatchOptions {
  baseOffset: bigint;
  partitionLeaderEpoch: number;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
}

/** A RecordBatch v2 (uncompressed, CreateTime) with its CRC-32C, in its own ArrayBuffer. */
export function buildBatch(records: readonly BenchRecord[], o: BatchOptions): Buffer {
  let size = RECORDS_OFFSET;
  records.forEach((r, i) => (size += recordSize(r, i)));
  const out = Buffer.alloc(size);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let maxDelta = 0;
  for (const r of records) maxDelta = Math.max(maxDelta, r.timestampDelta);
  view.setBigInt64(0, o.baseOffset);
  view.setInt32(8, size - 12); // batchLength
  view.setInt32(12, o.partitionLeaderEpoch);
  view.setInt8(16, 2); // magic
  // 17..20: CRC, below
  view.setInt16(21, 0); // attributes: no compression, CreateTime, not transactional, not control
  view.setInt32(23, records.length - 1); // lastOffsetDelta
  view.setBigInt64(27, BASE_TIMESTAMP);
  view.setBigInt64(35, BASE_TIMESTAMP + BigInt(maxDelta));
  view.setBigInt64(43, o.producerId);
  view.setInt16(51, o.producerEpoch);
  view.setInt32(53, o.baseSequence);
  view.setInt32(57, records.length);
  let pos = RECORDS_OFFSET;
  records.forEach((r, i) => {
    pos = writeVarint(out, pos, recordBodySize(r, i));
    out[pos++] = 0; // attributes
    pos = writeVarint(out, pos, r.timestampDelta);
    pos = writeVarint(out, pos, i);
    pos = writeVarint(out, pos, r.key.length);
    out.set(r.key, pos);
    pos += r.key.length;
    pos = writeVarint(out, pos, r.value.length);
    out.set(r.value, pos);
    pos += r.value.length;
    pos = writeVarint(out, pos, 0); // headers
  });
  if (pos !== size) throw new Error(`batch size mismatch: wrote ${pos}, expected ${size}`);
  view.setUint32(17, crc32c(out.subarray(21)));
  return out;
}

// ---------------------------------------------------------------- the 1 MiB payloads

export interface Payload {
  /** Records of each partition (used by the client APIs that build their own batches). */
  recordsByPartition: BenchRecord[][];
  /** What a producer sends: base offset 0, no leader epoch, an idempotent producer id. */
  produceBatches: Buffer[];
  /** What a broker serves: real base offsets and leader epoch. */
  fetchBatches: Buffer[];
}

export function buildPayload(): Payload {
  const recordsByPartition: BenchRecord[][] = [];
  const produceBatches: Buffer[] = [];
  const fetchBatches: Buffer[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const records = recordsForOneBatch(p);
    recordsByPartition.push(records);
    produceBatches.push(
      buildBatch(records, { baseOffset: 0n, partitionLeaderEpoch: -1, producerId: 4242n, producerEpoch: 0, baseSequence: p * 100 }),
    );
    fetchBatches.push(
      buildBatch(records, {
        baseOffset: 1_000_000n + BigInt(p) * 10_000n,
        partitionLeaderEpoch: 7,
        producerId: 4242n,
        producerEpoch: 0,
        baseSequence: p * 100,
      }),
    );
  }
  for (const b of [...produceBatches, ...fetchBatches]) {
    if (b.length !== BATCH_BYTES) throw new Error(`batch of ${b.length} bytes, expected ${BATCH_BYTES}`);
  }
  return { recordsByPartition, produceBatches, fetchBatches };
}

/** The Produce request our codec encodes (and that every codec's decoder must read back). */
export function produceRequest(batches: readonly Buffer[]): ProduceRequest {
  return {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: TOPIC, partitionData: batches.map((records, index) => ({ index, records })) }],
  };
}

export const HIGH_WATERMARK_BASE = 1_000_000n;

/** The Fetch response a broker would send for those partitions (no aborted transactions). */
export function fetchResponse(batches: readonly Buffer[]): FetchResponse {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 123456,
    responses: [
      {
        topic: TOPIC,
        topicId: TOPIC_ID,
        partitions: batches.map((records, partitionIndex) => ({
          partitionIndex,
          errorCode: 0,
          highWatermark: HIGH_WATERMARK_BASE + BigInt(partitionIndex) * 10_000n + 64n,
          lastStableOffset: HIGH_WATERMARK_BASE + BigInt(partitionIndex) * 10_000n + 64n,
          logStartOffset: 0n,
          abortedTransactions: [],
          preferredReadReplica: -1,
          records,
        })),
      },
    ],
  };
}

/** A Buffer view of a Uint8Array (no copy). */
export function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
