/**
 * kafkajs 2.2.4 (a client): its wire primitives are `src/protocol/encoder.js` (Encoder) and
 * `src/protocol/decoder.js` (Decoder); its highest versions are Produce v7 and Fetch v11.
 *
 * - What kafkajs itself can do: encode a Produce v7 request from messages
 *   (`requests/produce/v7/request.js`, which builds the record batches, CRC included) and
 *   decode a Fetch v11 response (`requests/fetch/v11/response.js`, which always parses every
 *   record of every batch).
 * - What it cannot do (a client never needs it): decode a Produce request, encode a Fetch
 *   response. For those the functions below are written with kafkajs's own Encoder/Decoder,
 *   in the style of its request/response modules (nested Encoders joined with writeArray,
 *   Decoder.readArray with per-field readers). Same for "framing only" (records already
 *   encoded) and "records left raw".
 */
import { createRequire } from "node:module";
import { packageVersion } from "../package-version.js";

const require = createRequire(import.meta.url);

interface KLong {
  readonly value: bigint;
  toString(): string;
}
interface KEncoder {
  readonly buffer: Buffer;
  writeInt8(v: number): KEncoder;
  writeInt16(v: number): KEncoder;
  writeInt32(v: number): KEncoder;
  writeInt64(v: KLong | bigint | number | string): KEncoder;
  writeString(v: string | null): KEncoder;
  writeBytes(v: Buffer | null): KEncoder;
  writeArray(a: unknown[], type?: "int32" | "number" | "string" | "object"): KEncoder;
  writeEncoder(e: KEncoder): KEncoder;
}
interface KDecoder {
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readInt64(): KLong;
  readString(): string | null;
  readBytes(): Buffer | null;
  readArray<T>(reader: (d: KDecoder) => T): T[];
}
type Ctor<T> = new (arg?: Buffer | number) => T;

const Encoder = require("kafkajs/src/protocol/encoder.js") as Ctor<KEncoder>;
const Decoder = require("kafkajs/src/protocol/decoder.js") as Ctor<KDecoder>;
const Long = require("kafkajs/src/utils/long.js") as { fromValue(v: bigint | number | string): KLong };

interface KMessage {
  key: Buffer;
  value: Buffer;
  timestamp: number;
}
interface KProduceRequest {
  encode(): Promise<KEncoder>;
}
const produceV7Request = require("kafkajs/src/protocol/requests/produce/v7/request.js") as (args: {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: KLong;
  producerEpoch?: number;
  compression?: number;
  topicData: { topic: string; partitions: { partition: number; firstSequence?: number; messages: KMessage[] }[] }[];
}) => KProduceRequest;
const fetchV11Response = require("kafkajs/src/protocol/requests/fetch/v11/response.js") as {
  decode(raw: Buffer): Promise<KFetchDecoded>;
};

export interface KFetchDecoded {
  responses: { topicName: string; partitions: { partition: number; messages: { key: Buffer | null; value: Buffer | null; offset: string }[] }[] }[];
}

export const kafkajsVersion: string = packageVersion("kafkajs");

// ---------------------------------------------------------------- Produce request v7

export interface KProduceDecoded {
  transactionalId: string | null;
  acks: number;
  timeout: number;
  topicData: { topic: string | null; partitions: { partition: number; records: Buffer | null }[] }[];
}

/** Produce v7 request decode, with kafkajs's Decoder (kafkajs has no Produce request decoder). */
export function decodeProduceV7(body: Buffer): KProduceDecoded {
  const d = new Decoder(body);
  return {
    transactionalId: d.readString(),
    acks: d.readInt16(),
    timeout: d.readInt32(),
    topicData: d.readArray((d) => ({
      topic: d.readString(),
      partitions: d.readArray((d) => ({ partition: d.readInt32(), records: d.readBytes() })),
    })),
  };
}

/** Produce v7 request encode from already-encoded batches, with kafkajs's Encoder, as its produce request module nests them. */
export function encodeProduceV7Framing(topic: string, batches: readonly Buffer[]): Buffer {
  const partitions = batches.map((records, partition) => new Encoder().writeInt32(partition).writeBytes(records));
  const topicEncoder = new Encoder().writeString(topic).writeArray(partitions);
  return new Encoder().writeString(null).writeInt16(-1).writeInt32(30_000).writeArray([topicEncoder]).buffer;
}

/** kafkajs's own Produce v7 request encoder: builds a RecordBatch per partition from messages, then the request. */
export async function encodeProduceV7Api(topic: string, messagesByPartition: readonly KMessage[][]): Promise<Buffer> {
  const request = produceV7Request({
    acks: -1,
    timeout: 30_000,
    producerId: Long.fromValue(4242n),
    producerEpoch: 0,
    topicData: [
      {
        topic,
        partitions: messagesByPartition.map((messages, partition) => ({ partition, firstSequence: partition * 100, messages })),
      },
    ],
  });
  return (await request.encode()).buffer;
}

// ---------------------------------------------------------------- Fetch response v11

export interface KFetchPartitionInput {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  preferredReadReplica: number;
  records: Buffer;
}

/** Fetch v11 response encode with kafkajs's Encoder (kafkajs has no Fetch response encoder). */
export function encodeFetchV11(topic: string, partitions: readonly KFetchPartitionInput[]): Buffer {
  const encodedPartitions = partitions.map((p) =>
    new Encoder()
      .writeInt32(p.partitionIndex)
      .writeInt16(p.errorCode)
      .writeInt64(Long.fromValue(p.highWatermark))
      .writeInt64(Long.fromValue(p.lastStableOffset))
      .writeInt64(Long.fromValue(p.logStartOffset))
      .writeArray([]) // aborted transactions
      .writeInt32(p.preferredReadReplica)
      .writeBytes(p.records),
  );
  const topicEncoder = new Encoder().writeString(topic).writeArray(encodedPartitions);
  return new Encoder().writeInt32(0).writeInt16(0).writeInt32(123456).writeArray([topicEncoder]).buffer;
}

export interface KFetchRaw {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: {
    topic: string | null;
    partitions: {
      partitionIndex: number;
      errorCode: number;
      highWatermark: string;
      lastStableOffset: string;
      logStartOffset: string;
      abortedTransactions: { producerId: string; firstOffset: string }[];
      preferredReadReplica: number;
      records: Buffer | null;
    }[];
  }[];
}

/**
 * Fetch v11 response decode with records left raw: kafkajs's fetch v11 response module with
 * `decodeMessages` replaced by `readBytes` (offsets as strings, as kafkajs returns them).
 */
export function decodeFetchV11Raw(body: Buffer): KFetchRaw {
  const d = new Decoder(body);
  return {
    throttleTimeMs: d.readInt32(),
    errorCode: d.readInt16(),
    sessionId: d.readInt32(),
    responses: d.readArray((d) => ({
      topic: d.readString(),
      partitions: d.readArray((d) => ({
        partitionIndex: d.readInt32(),
        errorCode: d.readInt16(),
        highWatermark: d.readInt64().toString(),
        lastStableOffset: d.readInt64().toString(),
        logStartOffset: d.readInt64().toString(),
        abortedTransactions: d.readArray((d) => ({
          producerId: d.readInt64().toString(),
          firstOffset: d.readInt64().toString(),
        })),
        preferredReadReplica: d.readInt32(),
        records: d.readBytes(),
      })),
    })),
  };
}

/** kafkajs's own Fetch v11 response decoder (parses every record; async). */
export function decodeFetchV11Api(body: Buffer): Promise<KFetchDecoded> {
  return fetchV11Response.decode(body);
}

export type { KMessage };
