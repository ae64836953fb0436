import { RecordBatchError } from "./errors.js";
import type { KafkaRecord, KafkaRecordHeader } from "./record.js";
import { readVarint, readVarlong, type Cursor } from "./varint.js";

/** length, attributes, timestampDelta, offsetDelta, keyLength, valueLength, headerCount: one byte each at least. */
const MIN_RECORD_SIZE = 7;

const utf8 = new TextDecoder();

/**
 * Decodes `count` records filling exactly `data` (the uncompressed records
 * section of a batch). Mirrors the checks of Kafka's DefaultRecord.readFrom.
 */
export function decodeRecords(data: Uint8Array, count: number): KafkaRecord[] {
  if (count < 0) throw corrupt(`batch declares a negative record count ${count}`);
  if (count > data.length / MIN_RECORD_SIZE) {
    throw corrupt(`batch declares ${count} records but has only ${data.length} bytes of record data`);
  }
  const records: KafkaRecord[] = [];
  const cursor: Cursor = { pos: 0 };
  const end = data.length;
  for (let i = 0; i < count; i++) {
    if (cursor.pos >= end) throw corrupt(`batch declares ${count} records but the data ends after ${i}`);
    records.push(decodeRecord(data, cursor, end, i));
  }
  if (cursor.pos !== end) {
    throw corrupt(`${end - cursor.pos} bytes remain after the ${count} records the batch declares`);
  }
  return records;
}

function decodeRecord(data: Uint8Array, cursor: Cursor, end: number, index: number): KafkaRecord {
  const length = readVarint(data, cursor, end);
  const recordEnd = cursor.pos + length;
  if (length < 0 || recordEnd > end) {
    throw corrupt(`record ${index} declares ${length} bytes but ${end - cursor.pos} remain`);
  }
  if (cursor.pos >= recordEnd) throw corrupt(`record ${index} is empty`);
  const attributes = (data[cursor.pos++]! << 24) >> 24;
  const timestampDelta = readVarlong(data, cursor, recordEnd);
  const offsetDelta = readVarint(data, cursor, recordEnd);
  const key = readNullableBytes(data, cursor, recordEnd, index, "key");
  const value = readNullableBytes(data, cursor, recordEnd, index, "value");
  const headerCount = readVarint(data, cursor, recordEnd);
  if (headerCount < 0 || headerCount > (recordEnd - cursor.pos) / 2) {
    throw corrupt(`record ${index} declares ${headerCount} headers in ${recordEnd - cursor.pos} bytes`);
  }
  const headers: KafkaRecordHeader[] = [];
  for (let h = 0; h < headerCount; h++) {
    const keyBytes = readNullableBytes(data, cursor, recordEnd, index, "header key");
    if (keyBytes === null) throw corrupt(`record ${index} has a header with a null key`);
    const headerValue = readNullableBytes(data, cursor, recordEnd, index, "header value");
    headers.push({ key: utf8.decode(keyBytes), value: headerValue });
  }
  if (cursor.pos !== recordEnd) {
    throw corrupt(`record ${index} declares ${length} bytes but its fields end ${recordEnd - cursor.pos} bytes early`);
  }
  return { attributes, timestampDelta, offsetDelta, key, value, headers };
}

function readNullableBytes(data: Uint8Array, cursor: Cursor, end: number, index: number, what: string): Uint8Array | null {
  const length = readVarint(data, cursor, end);
  if (length === -1) return null;
  if (length < -1 || cursor.pos + length > end) {
    throw corrupt(`record ${index} ${what} length ${length} does not fit in the record`);
  }
  const bytes = data.subarray(cursor.pos, cursor.pos + length);
  cursor.pos += length;
  return bytes;
}

function corrupt(message: string): RecordBatchError {
  return new RecordBatchError("CORRUPT_RECORD", message);
}
