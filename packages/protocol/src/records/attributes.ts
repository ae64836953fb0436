import { RecordBatchError } from "./errors.js";

/** Codec ids of the low three attribute bits. */
export enum Compression {
  None = 0,
  Gzip = 1,
  Snappy = 2,
  Lz4 = 3,
  Zstd = 4,
}

export type CompressionName = "none" | "gzip" | "snappy" | "lz4" | "zstd";

/** Names indexed by {@link Compression} id. */
export const COMPRESSION_NAMES: readonly CompressionName[] = ["none", "gzip", "snappy", "lz4", "zstd"];

/** Attribute bit 3. */
export enum TimestampType {
  CreateTime = 0,
  LogAppendTime = 1,
}

export interface BatchAttributes {
  /** The int16 as stored. */
  raw: number;
  compression: Compression;
  compressionName: CompressionName;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  /** KIP-534: `baseTimestamp` holds the delete horizon of a compacted batch. */
  hasDeleteHorizon: boolean;
}

const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_MASK = 0x08;
const TRANSACTIONAL_MASK = 0x10;
const CONTROL_MASK = 0x20;
const DELETE_HORIZON_MASK = 0x40;

/** Decodes the attributes int16; codec ids 5–7 are `UNSUPPORTED_COMPRESSION`. */
export function decodeBatchAttributes(raw: number): BatchAttributes {
  const id = raw & COMPRESSION_MASK;
  const name = COMPRESSION_NAMES[id];
  if (name === undefined) {
    throw new RecordBatchError("UNSUPPORTED_COMPRESSION", `unknown compression codec id ${id} in batch attributes`);
  }
  return {
    raw,
    compression: id as Compression,
    compressionName: name,
    timestampType: raw & TIMESTAMP_TYPE_MASK ? TimestampType.LogAppendTime : TimestampType.CreateTime,
    isTransactional: (raw & TRANSACTIONAL_MASK) !== 0,
    isControl: (raw & CONTROL_MASK) !== 0,
    hasDeleteHorizon: (raw & DELETE_HORIZON_MASK) !== 0,
  };
}

export interface BatchAttributesInput {
  compression: Compression;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizon?: boolean;
}

export function encodeBatchAttributes(a: BatchAttributesInput): number {
  return (
    (a.compression & COMPRESSION_MASK) |
    (a.timestampType === TimestampType.LogAppendTime ? TIMESTAMP_TYPE_MASK : 0) |
    (a.isTransactional ? TRANSACTIONAL_MASK : 0) |
    (a.isControl ? CONTROL_MASK : 0) |
    (a.hasDeleteHorizon === true ? DELETE_HORIZON_MASK : 0)
  );
}

/** Accepts either spelling of a codec; anything else is `UNSUPPORTED_COMPRESSION`. */
export function toCompression(value: Compression | CompressionName): Compression {
  const id = typeof value === "string" ? COMPRESSION_NAMES.indexOf(value) : value;
  if (!Number.isInteger(id) || id < 0 || id >= COMPRESSION_NAMES.length) {
    throw new RecordBatchError("UNSUPPORTED_COMPRESSION", `unknown compression ${String(value)}`);
  }
  return id as Compression;
}
