import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Codec } from "./messages.js";

const SEGMENT_HEADER = 32;
const SEGMENT_FOOTER = 16;
const CODEC_BY_ID: readonly Codec[] = ["none", "gzip", "snappy", "lz4", "zstd"];

export interface StoredBatch {
  partition: number;
  baseOffset: bigint;
  records: number;
  codec: Codec | `unknown(${number})`;
}

/**
 * The record batches of a topic as the embedded default stored them
 * (`<data-dir>/segments/default/<topic>/<partition>/segment-*.kfs`, 32-byte header, batches,
 * 16-byte footer): proof of which codec a client really used.
 */
export async function storedBatches(dataDir: string, topic: string): Promise<StoredBatch[]> {
  const topicDir = join(dataDir, "segments", "default", topic);
  const batches: StoredBatch[] = [];
  for (const partitionName of await readdir(topicDir)) {
    const partition = Number(partitionName);
    const files = (await readdir(join(topicDir, partitionName))).filter((f) => f.endsWith(".kfs")).sort();
    for (const file of files) {
      const bytes = await readFile(join(topicDir, partitionName, file));
      let pos = SEGMENT_HEADER;
      const end = bytes.length - SEGMENT_FOOTER;
      while (pos < end) {
        const baseOffset = bytes.readBigInt64BE(pos);
        const batchLength = bytes.readInt32BE(pos + 8);
        const attributes = bytes.readInt16BE(pos + 21);
        const records = bytes.readInt32BE(pos + 57);
        const id = attributes & 7;
        batches.push({ partition, baseOffset, records, codec: CODEC_BY_ID[id] ?? `unknown(${id})` });
        pos += 12 + batchLength;
      }
    }
  }
  return batches;
}

/** The codecs of a topic's stored batches. */
export async function storedCodecs(dataDir: string, topic: string): Promise<string[]> {
  return [...new Set((await storedBatches(dataDir, topic)).map((b) => b.codec))].sort();
}

/**
 * Why librdkafka may store "none": up to 2.11.0 it checks gzip, snappy and lz4 with
 * rd_kafka_broker_ApiVersion_supported(Produce, 0, 0) and sends the batch uncompressed ("Broker
 * does not support compression type") when the broker's lowest Produce version is above 0.
 */
export const LIBRDKAFKA_CODEC_NOTE =
  "codecs of the stored batches (librdkafka <= 2.11.0 silently sends gzip/snappy/lz4 uncompressed when ApiVersions advertises Produce with a minimum version above 0)";
