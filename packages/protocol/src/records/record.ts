/*
 * A record inside a v2 batch (Kafka's DefaultRecord):
 *
 * ```
 * length          varint   bytes after this field
 * attributes      int8     unused, 0
 * timestampDelta  varlong  relative to the batch's baseTimestamp
 * offsetDelta     varint   relative to the batch's baseOffset
 * keyLength       varint   -1 = null
 * key             bytes
 * valueLength     varint   -1 = null
 * value           bytes
 * headerCount     varint
 * headers         [keyLength varint, key utf-8, valueLength varint (-1 = null), value]
 * ```
 *
 * Named `KafkaRecord` rather than `Record` so it does not shadow TypeScript's
 * `Record<K, V>` in files that import it.
 */

export interface KafkaRecordHeader {
  key: string;
  value: Uint8Array | null;
}

export interface KafkaRecord {
  attributes: number;
  timestampDelta: bigint;
  offsetDelta: number;
  /** Decoded keys and values are views into the (decompressed) batch bytes: copy them to keep them past the buffer's life. */
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: KafkaRecordHeader[];
}

/** What {@link encodeBatch} accepts per record; omitted fields take the defaults shown. */
export interface KafkaRecordInput {
  /** Default 0. */
  attributes?: number;
  /** Default 0n. */
  timestampDelta?: bigint;
  /** Default: the record's index in the batch. Must increase strictly. */
  offsetDelta?: number;
  /** Default null. */
  key?: Uint8Array | null;
  value: Uint8Array | null;
  /** Default none. */
  headers?: readonly KafkaRecordHeader[];
}
