import { MetadataError } from "../../errors.js";
import type { Effect, TxnRecord } from "../kv-state.js";
import { ByteReader, ByteWriter } from "./binary.js";
import { crc32c } from "./crc.js";

/**
 * The embedded store's write-ahead log, `metadata.wal` (all integers big-endian):
 *
 * ```
 * file    = header record*
 * header  = magic u32 "KSWL" (0x4B53574C), version u32 = 1
 * record  = length u32, payloadCrc u32, headerCrc u32, payload[length]
 *             payloadCrc = CRC-32C(payload); headerCrc = CRC-32C(the 8 bytes of length and payloadCrc)
 * payload = kind u8 = 1 (transaction batch), count u32, txn[count]
 * txn     = revision u64, effectCount u32, effect[effectCount]
 * effect  = type u8 (1 put, 2 delete), key string,
 *           put only: leaseId u64 (0: none), value bytes
 * string  = length u32, UTF-8;  bytes = length u32, bytes
 * ```
 *
 * One record holds one group-commit batch (every transaction of one write and one sync), so a
 * crash can tear only the last record. Transactions carry consecutive revisions. Deletes are
 * logged per key (a deletePrefix is expanded), so replay needs no range logic.
 */
export const LOG_MAGIC = 0x4b53574c;
export const LOG_VERSION = 1;
export const LOG_HEADER_BYTES = 8;
export const RECORD_HEADER_BYTES = 12;
const KIND_TXN_BATCH = 1;
const EFFECT_PUT = 1;
const EFFECT_DELETE = 2;

/** The 8-byte file header. */
export function encodeLogHeader(): Buffer {
  return new ByteWriter(LOG_HEADER_BYTES).u32(LOG_MAGIC).u32(LOG_VERSION).finish();
}

/** One framed record holding `txns`. */
export function encodeBatchRecord(txns: readonly TxnRecord[]): Buffer {
  const w = new ByteWriter(1024).u32(0).u32(0).u32(0).u8(KIND_TXN_BATCH).u32(txns.length);
  for (const txn of txns) {
    w.u64(txn.revision).u32(txn.effects.length);
    for (const e of txn.effects) {
      w.u8(e.type === "put" ? EFFECT_PUT : EFFECT_DELETE).string(e.key);
      if (e.type === "put") w.u64(leaseNumber(e.leaseId)).bytes(e.value);
    }
  }
  const out = w.finish();
  const payload = out.subarray(RECORD_HEADER_BYTES);
  out.writeUInt32BE(payload.length, 0);
  out.writeUInt32BE(crc32c(payload), 4);
  out.writeUInt32BE(crc32c(out.subarray(0, 8)), 8);
  return Buffer.from(out); // exact-size copy
}

/** What {@link scanLog} found. */
export interface LogScan {
  /** Every transaction of the intact records, in file order. */
  readonly txns: TxnRecord[];
  /** Length of the intact prefix of the file (header and whole records). */
  readonly intactBytes: number;
  /** True when the file lacks a complete header (new, or torn while being created). */
  readonly needsHeader: boolean;
  /** Set when a torn or damaged last record was found: where it starts and what is wrong. */
  readonly tornTail?: { readonly offset: number; readonly bytes: number; readonly reason: string };
}

/**
 * Reads a whole log file. A damaged record with no intact record after it is a torn tail (a crash
 * during the last write, whose transactions were never acknowledged): it is reported, not thrown.
 * A damaged record followed by an intact one is corruption in the middle: `CORRUPT_DATA`.
 */
export function scanLog(buf: Buffer, path: string): LogScan {
  if (buf.length < LOG_HEADER_BYTES) {
    const scan = { txns: [], intactBytes: 0, needsHeader: true };
    return buf.length === 0 ? scan : { ...scan, tornTail: { offset: 0, bytes: buf.length, reason: "incomplete file header" } };
  }
  const magic = buf.readUInt32BE(0);
  if (magic !== LOG_MAGIC) {
    throw new MetadataError("CORRUPT_DATA", `${path} is not a Kafscale metadata log (magic 0x${magic.toString(16).padStart(8, "0")}, expected 0x${LOG_MAGIC.toString(16)})`);
  }
  const version = buf.readUInt32BE(4);
  if (version !== LOG_VERSION) {
    throw new MetadataError("CORRUPT_DATA", `${path} has log format version ${version}; this build reads version ${LOG_VERSION}`);
  }
  const txns: TxnRecord[] = [];
  let pos = LOG_HEADER_BYTES;
  while (pos < buf.length) {
    const check = checkRecordAt(buf, pos);
    if (typeof check === "string") {
      const next = findIntactRecord(buf, pos + 1);
      if (next === -1) return { txns, intactBytes: pos, needsHeader: false, tornTail: { offset: pos, bytes: buf.length - pos, reason: check } };
      throw new MetadataError(
        "CORRUPT_DATA",
        `${path} is corrupt at byte ${pos} (${check}) after revision ${txns.at(-1)?.revision ?? "none"}, and an intact record follows ` +
          `at byte ${next}, so this is not a torn write at the end. Restore the data directory from a backup; truncating the file ` +
          `to ${pos} bytes would lose the transactions after that point.`,
      );
    }
    for (const txn of decodeBatchPayload(buf.subarray(pos + RECORD_HEADER_BYTES, check), `${path} record at byte ${pos}`)) txns.push(txn);
    pos = check;
  }
  return { txns, intactBytes: pos, needsHeader: false };
}

/** The end offset of an intact record at `pos`, or why there is none. */
function checkRecordAt(buf: Buffer, pos: number): number | string {
  const left = buf.length - pos;
  if (left < RECORD_HEADER_BYTES) return `incomplete record header (${left} bytes)`;
  if (crc32c(buf.subarray(pos, pos + 8)) !== buf.readUInt32BE(pos + 8)) return "record header checksum mismatch";
  const length = buf.readUInt32BE(pos);
  const end = pos + RECORD_HEADER_BYTES + length;
  if (end > buf.length) return `record of ${length} bytes runs past the end of the file (${left - RECORD_HEADER_BYTES} bytes left)`;
  if (crc32c(buf.subarray(pos + RECORD_HEADER_BYTES, end)) !== buf.readUInt32BE(pos + 4)) return "record checksum mismatch";
  return end;
}

function findIntactRecord(buf: Buffer, from: number): number {
  for (let pos = from; pos + RECORD_HEADER_BYTES <= buf.length; pos++) {
    if (typeof checkRecordAt(buf, pos) === "number") return pos;
  }
  return -1;
}

/** Decodes a record's payload (its checksum already verified). */
export function decodeBatchPayload(payload: Buffer, what: string): TxnRecord[] {
  const r = new ByteReader(payload, what);
  const kind = r.u8();
  if (kind !== KIND_TXN_BATCH) throw new MetadataError("CORRUPT_DATA", `${what}: unknown record kind ${kind}`);
  const count = r.u32();
  const txns: TxnRecord[] = [];
  for (let i = 0; i < count; i++) {
    const revision = r.u64();
    const n = r.u32();
    const effects: Effect[] = [];
    for (let j = 0; j < n; j++) {
      const type = r.u8();
      const key = r.string();
      if (type === EFFECT_DELETE) {
        effects.push({ type: "delete", key });
      } else if (type === EFFECT_PUT) {
        const lease = r.u64();
        const value = r.bytes();
        effects.push(lease === 0 ? { type: "put", key, value } : { type: "put", key, value, leaseId: String(lease) });
      } else {
        throw new MetadataError("CORRUPT_DATA", `${what}: unknown effect type ${type}`);
      }
    }
    txns.push({ revision, effects });
  }
  if (r.remaining !== 0) throw new MetadataError("CORRUPT_DATA", `${what}: ${r.remaining} bytes after the last transaction`);
  return txns;
}

/** Embedded lease ids are decimal integers in 1 .. 2^48; 0 encodes "no lease". */
export function leaseNumber(leaseId: string | undefined): number {
  if (leaseId === undefined) return 0;
  const n = Number(leaseId);
  if (!Number.isSafeInteger(n) || n <= 0) throw new MetadataError("INVALID_ARGUMENT", `lease id ${leaseId} is not an embedded-store lease id`);
  return n;
}
