import { Compression, COMPRESSION_NAMES } from "../attributes.js";
import { RecordBatchError } from "../errors.js";
import { gzipCompress, gzipDecompress } from "./gzip.js";
import { lz4Compress, lz4Decompress } from "./lz4.js";
import { snappyCompress, snappyDecompress, type SnappyFraming } from "./snappy.js";
import { zstdCompress, zstdDecompress } from "./zstd.js";

export interface CompressOptions {
  /** Default "raw" (what librdkafka writes; Java reads both). */
  snappyFraming?: SnappyFraming;
}

/** Compression failures are not expected (the codecs accept any input) and propagate unchanged. */
export function compressRecords(compression: Compression, data: Uint8Array, options: CompressOptions = {}): Uint8Array {
  switch (compression) {
    case Compression.None:
      return data;
    case Compression.Gzip:
      return gzipCompress(data);
    case Compression.Snappy:
      return snappyCompress(data, options.snappyFraming ?? "raw");
    case Compression.Lz4:
      return lz4Compress(data);
    case Compression.Zstd:
      return zstdCompress(data);
    default:
      throw new RecordBatchError("UNSUPPORTED_COMPRESSION", `unknown compression codec id ${String(compression)}`);
  }
}

/** Decompresses the records section; output above `maxBytes` is `DECOMPRESSED_TOO_LARGE`. */
export function decompressRecords(compression: Compression, data: Uint8Array, maxBytes: number): Uint8Array {
  let out: Uint8Array;
  try {
    switch (compression) {
      case Compression.None:
        return data;
      case Compression.Gzip:
        out = gzipDecompress(data, maxBytes);
        break;
      case Compression.Snappy:
        out = snappyDecompress(data, maxBytes);
        break;
      case Compression.Lz4:
        out = lz4Decompress(data, maxBytes);
        break;
      case Compression.Zstd:
        out = zstdDecompress(data, maxBytes);
        break;
      default:
        throw new RecordBatchError("UNSUPPORTED_COMPRESSION", `unknown compression codec id ${String(compression)}`);
    }
  } catch (err) {
    throw toRecordBatchError(compression, err, maxBytes);
  }
  if (out.length > maxBytes) {
    throw new RecordBatchError(
      "DECOMPRESSED_TOO_LARGE",
      `${COMPRESSION_NAMES[compression]} payload decompressed to ${out.length} bytes, over the ${maxBytes}-byte limit`,
    );
  }
  return out;
}

/**
 * The one place host and codec-library errors become RecordBatchError:
 * - RecordBatchError (from the frame walkers) passes through;
 * - node:zlib's ERR_BUFFER_TOO_LARGE (maxOutputLength hit) → DECOMPRESSED_TOO_LARGE;
 * - anything else a codec throws on decompress (zlib Z_DATA_ERROR, snappy
 *   "corrupt input", lz4/zstd GenericFailure) → CORRUPT_COMPRESSED_DATA,
 *   with the original as `cause`.
 */
function toRecordBatchError(compression: Compression, err: unknown, maxBytes: number): RecordBatchError {
  if (err instanceof RecordBatchError) return err;
  const name = COMPRESSION_NAMES[compression] ?? String(compression);
  const detail = err instanceof Error ? err.message : String(err);
  if (isNodeError(err) && err.code === "ERR_BUFFER_TOO_LARGE") {
    return new RecordBatchError(
      "DECOMPRESSED_TOO_LARGE",
      `${name} payload decompresses past the ${maxBytes}-byte limit`,
      { cause: err },
    );
  }
  return new RecordBatchError("CORRUPT_COMPRESSED_DATA", `${name} payload is corrupt: ${detail}`, { cause: err });
}

function isNodeError(err: unknown): err is Error & { code: unknown } {
  return err instanceof Error && "code" in err;
}
