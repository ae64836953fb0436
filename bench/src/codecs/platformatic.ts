/**
 * @platformatic/kafka 1.35 (a client): its wire primitives are `Reader` (over a
 * DynamicBuffer) and `Writer` (a DynamicBuffer: a list of Buffers, so appended byte fields
 * are referenced, not copied; `.buffers` gives the list, `.buffer` joins it with
 * Buffer.concat, which is what its Connection sends). Its API modules cover Produce v7-v11
 * and Fetch v12-v17.
 *
 * - What it can do itself: encode a Produce request from messages (`produceV*.createRequest`,
 *   which builds the record batches, CRC included) and decode a Fetch response
 *   (`fetchV*.parseResponse`, which always parses every record of every batch).
 * - What it cannot do (a client never needs it): decode a Produce request, encode a Fetch
 *   response. For those the functions below use its Reader/Writer exactly as its API
 *   modules do (appendArray/readArray with their tagged-field handling). Same for
 *   "framing only" (records already encoded) and "records left raw".
 */
import {
  Reader,
  Writer,
  fetchV12,
  fetchV17,
  produceV11,
  produceV7,
  produceV9,
  type MessageRecord,
} from "@platformatic/kafka";

import { packageVersion } from "../package-version.js";

export const platformaticVersion: string = packageVersion("@platformatic/kafka");

const compactFrom = (v: number, flexibleFrom: number): boolean => v >= flexibleFrom;

// ---------------------------------------------------------------- Produce request (flexible from v9)

export interface PProduceDecoded {
  transactionalId: string | null;
  acks: number;
  timeout: number;
  topicData: { name: string; partitionData: { index: number; records: Buffer | null }[] }[];
}

/** Produce request decode (v7-v11) with its Reader (it has no Produce request decoder). */
export function decodeProduce(body: Buffer, v: number): PProduceDecoded {
  const c = compactFrom(v, 9);
  const r = Reader.from(body);
  const out: PProduceDecoded = {
    transactionalId: r.readNullableString(c),
    acks: r.readInt16(),
    timeout: r.readInt32(),
    topicData: r.readArray(
      (r) => ({
        name: r.readString(c),
        partitionData: r.readArray((r) => ({ index: r.readInt32(), records: r.readNullableBytes(c) }), c, c),
      }),
      c,
      c,
    ),
  };
  if (c) r.readTaggedFields();
  return out;
}

/** Produce request encode from already-encoded batches, with its Writer, as its produceV* modules write it. */
export function encodeProduceFraming(topic: string, batches: readonly Buffer[], v: number): Writer {
  const c = compactFrom(v, 9);
  const w = Writer.create()
    .appendString(null, c)
    .appendInt16(-1)
    .appendInt32(30_000)
    .appendArray(
      [batches],
      (w, partitions) => {
        w.appendString(topic, c).appendArray(
          partitions as Buffer[],
          (w, records, index) => {
            w.appendInt32(index);
            if (c) w.appendUnsignedVarInt(records.length + 1);
            else w.appendInt32(records.length);
            w.append(records);
          },
          c,
          c,
        );
      },
      c,
      c,
    );
  if (c) w.appendTaggedFields();
  return w;
}

const produceModules: Record<number, typeof produceV7> = { 7: produceV7, 9: produceV9, 11: produceV11 };

/** Its own Produce request encoder: one RecordBatch per partition built from messages, then the request. */
export function encodeProduceApi(messages: MessageRecord[], v: number): Writer {
  const mod = produceModules[v];
  if (mod === undefined) throw new Error(`no produce v${v} module`);
  return mod.createRequest(-1, 30_000, messages, { producerId: 4242n, producerEpoch: 0 });
}

// ---------------------------------------------------------------- Fetch response (flexible from v12)

export interface PFetchPartitionInput {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  preferredReadReplica: number;
  records: Buffer;
}

/** Fetch response encode (v11-v17) with its Writer (it has no Fetch response encoder). */
export function encodeFetch(topic: string, topicId: string, partitions: readonly PFetchPartitionInput[], v: number): Writer {
  const c = compactFrom(v, 12);
  const w = Writer.create()
    .appendInt32(0)
    .appendInt16(0)
    .appendInt32(123456)
    .appendArray(
      [partitions],
      (w, ps) => {
        if (v >= 13) w.appendUUID(topicId);
        else w.appendString(topic, c);
        w.appendArray(
          ps as PFetchPartitionInput[],
          (w, p) => {
            w.appendInt32(p.partitionIndex)
              .appendInt16(p.errorCode)
              .appendInt64(p.highWatermark)
              .appendInt64(p.lastStableOffset)
              .appendInt64(p.logStartOffset)
              .appendArray([], () => {}, c, c)
              .appendInt32(p.preferredReadReplica);
            if (c) w.appendUnsignedVarInt(p.records.length + 1);
            else w.appendInt32(p.records.length);
            w.append(p.records);
          },
          c,
          c,
        );
      },
      c,
      c,
    );
  if (c) w.appendTaggedFields();
  return w;
}

export interface PFetchRaw {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: {
    topic: string;
    partitions: {
      partitionIndex: number;
      errorCode: number;
      highWatermark: bigint;
      lastStableOffset: bigint;
      logStartOffset: bigint;
      abortedTransactions: { producerId: bigint; firstOffset: bigint }[];
      preferredReadReplica: number;
      records: Buffer | null;
    }[];
  }[];
}

/**
 * Fetch response decode (v11-v17) with records left raw: its fetchV* parseResponse with
 * `readRecordsBatches` replaced by `readNullableBytes` (a view when the input is one Buffer).
 */
export function decodeFetchRaw(body: Buffer, v: number): PFetchRaw {
  const c = compactFrom(v, 12);
  const r = Reader.from(body);
  const throttleTimeMs = r.readInt32();
  const errorCode = r.readInt16();
  const out: PFetchRaw = {
    throttleTimeMs,
    errorCode,
    sessionId: r.readInt32(),
    responses: r.readArray(
      (r) => ({
        topic: v >= 13 ? r.readUUID() : r.readString(c),
        partitions: r.readArray(
          (r) => ({
            partitionIndex: r.readInt32(),
            errorCode: r.readInt16(),
            highWatermark: r.readInt64(),
            lastStableOffset: r.readInt64(),
            logStartOffset: r.readInt64(),
            abortedTransactions: r.readArray((r) => ({ producerId: r.readInt64(), firstOffset: r.readInt64() }), c, c),
            preferredReadReplica: r.readInt32(),
            records: r.readNullableBytes(c),
          }),
          c,
          c,
        ),
      }),
      c,
      c,
    ),
  };
  if (c) r.readTaggedFields();
  return out;
}

const fetchModules: Record<number, typeof fetchV12> = { 12: fetchV12, 17: fetchV17 };

/** Its own Fetch response decoder (parses every record of every batch). */
export function decodeFetchApi(body: Buffer, v: number): ReturnType<typeof fetchV12.parseResponse> {
  const mod = fetchModules[v];
  if (mod === undefined) throw new Error(`no fetch v${v} module`);
  return mod.parseResponse(0, 1, v, Reader.from(body));
}

export type { MessageRecord };
