import { RecordBatchError } from "./errors.js";
import { INT32_MAX, isInt, isInt64 } from "./int-ranges.js";
import type { KafkaRecordInput } from "./record.js";
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from "./varint.js";

const utf8 = new TextEncoder();

interface PreparedRecord {
  attributes: number;
  timestampDelta: bigint;
  offsetDelta: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: { key: Uint8Array; value: Uint8Array | null }[];
  bodySize: number;
}

export interface EncodedRecords {
  /** `reserve` zero bytes, then the records. */
  bytes: Uint8Array;
  lastOffsetDelta: number;
  maxTimestampDelta: bigint | null;
}

/**
 * Writes `records` back to back, after `reserve` leading bytes left for the
 * caller (the batch header, when the records are not compressed).
 * Sizes are computed first so the output is allocated once.
 */
export function encodeRecords(records: readonly KafkaRecordInput[], reserve: number): EncodedRecords {
  const prepared: PreparedRecord[] = [];
  let total = reserve;
  let previousOffsetDelta = -1;
  let maxTimestampDelta: bigint | null = null;
  for (let index = 0; index < records.length; index++) {
    const record = prepareRecord(records[index]!, index, previousOffsetDelta);
    previousOffsetDelta = record.offsetDelta;
    if (maxTimestampDelta === null || record.timestampDelta > maxTimestampDelta) maxTimestampDelta = record.timestampDelta;
    prepared.push(record);
    total += sizeOfVarint(record.bodySize) + record.bodySize;
  }
  const bytes = new Uint8Array(total);
  let pos = reserve;
  for (const record of prepared) pos = writeRecord(bytes, pos, record);
  return { bytes, lastOffsetDelta: previousOffsetDelta, maxTimestampDelta };
}

function prepareRecord(input: KafkaRecordInput, index: number, previousOffsetDelta: number): PreparedRecord {
  const attributes = input.attributes ?? 0;
  const timestampDelta = input.timestampDelta ?? 0n;
  const offsetDelta = input.offsetDelta ?? index;
  const key = input.key ?? null;
  const value = input.value;
  if (!isInt(attributes, -128, 127)) invalid(`record ${index}: attributes ${attributes} is not an int8`);
  if (!isInt64(timestampDelta)) invalid(`record ${index}: timestampDelta ${timestampDelta} is not an int64`);
  if (!isInt(offsetDelta, 0, INT32_MAX) || offsetDelta <= previousOffsetDelta) {
    invalid(`record ${index}: offsetDelta ${offsetDelta} must be an int32 greater than the previous (${previousOffsetDelta})`);
  }
  const headers = (input.headers ?? []).map((h) => ({ key: utf8.encode(h.key), value: h.value }));
  let bodySize =
    1 + sizeOfVarlong(timestampDelta) + sizeOfVarint(offsetDelta) + sizeOfNullable(key) + sizeOfNullable(value);
  bodySize += sizeOfVarint(headers.length);
  for (const h of headers) bodySize += sizeOfNullable(h.key) + sizeOfNullable(h.value);
  if (bodySize > INT32_MAX) invalid(`record ${index} is ${bodySize} bytes, more than an int32 length allows`);
  return { attributes, timestampDelta, offsetDelta, key, value, headers, bodySize };
}

function writeRecord(bytes: Uint8Array, pos: number, r: PreparedRecord): number {
  pos = writeVarint(bytes, pos, r.bodySize);
  bytes[pos++] = r.attributes & 0xff;
  pos = writeVarlong(bytes, pos, r.timestampDelta);
  pos = writeVarint(bytes, pos, r.offsetDelta);
  pos = writeNullable(bytes, pos, r.key);
  pos = writeNullable(bytes, pos, r.value);
  pos = writeVarint(bytes, pos, r.headers.length);
  for (const h of r.headers) {
    pos = writeNullable(bytes, pos, h.key);
    pos = writeNullable(bytes, pos, h.value);
  }
  return pos;
}

function sizeOfNullable(bytes: Uint8Array | null): number {
  return bytes === null ? 1 : sizeOfVarint(bytes.length) + bytes.length;
}

function writeNullable(out: Uint8Array, pos: number, bytes: Uint8Array | null): number {
  if (bytes === null) return writeVarint(out, pos, -1);
  pos = writeVarint(out, pos, bytes.length);
  out.set(bytes, pos);
  return pos + bytes.length;
}

function invalid(message: string): never {
  throw new RecordBatchError("INVALID_ARGUMENT", message);
}
