import { encodeBatch, type CompressionName } from "@kafscale/protocol/records";

export interface TestBatchSpec {
  /** Number of records; default 1. */
  records?: number;
  /** Bytes per record value; default 16. */
  valueSize?: number;
  /** Timestamp of the first record; record i gets baseTimestamp + timestampStep × i. Default 1_000. */
  baseTimestamp?: number;
  /** Default 1. */
  timestampStep?: number;
  /** Per-record timestamps, overriding baseTimestamp/timestampStep. */
  timestamps?: number[];
  compression?: CompressionName;
  /** Value fill byte; default the record index. */
  fill?: number;
}

/** A RecordBatch v2 as a producer would send it (base offset 0, partition leader epoch -1). */
export function makeBatch(spec: TestBatchSpec = {}): Uint8Array {
  const count = spec.timestamps?.length ?? spec.records ?? 1;
  const base = spec.timestamps?.[0] ?? spec.baseTimestamp ?? 1_000;
  const step = spec.timestampStep ?? 1;
  const records = Array.from({ length: count }, (_, i) => {
    const ts = spec.timestamps?.[i] ?? base + step * i;
    return {
      timestampDelta: BigInt(ts - base),
      key: new TextEncoder().encode(`k${i}`),
      value: new Uint8Array(spec.valueSize ?? 16).fill(spec.fill ?? i),
    };
  });
  return encodeBatch({
    baseOffset: 0n,
    baseTimestamp: BigInt(base),
    records,
    ...(spec.compression === undefined ? {} : { compression: spec.compression }),
  });
}

/** Several batches concatenated, as one produce partition's `records`. */
export function concatBatches(batches: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(batches));
}
