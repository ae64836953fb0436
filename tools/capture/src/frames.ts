/**
 * Kafka framing: every request and response is an INT32 big-endian size followed by that many
 * bytes (header + body). `FrameSplitter` turns a TCP byte stream into frames without the size.
 */

/** Frames above this size are treated as a protocol error (the mock never sends more). */
const MAX_FRAME = 64 * 1024 * 1024;

export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds bytes, returns the frames (without size prefix) completed by them. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME) throw new Error(`implausible frame size ${size}`);
      if (this.pending.length < 4 + size) break;
      frames.push(Buffer.from(this.pending.subarray(4, 4 + size)));
      this.pending = this.pending.subarray(4 + size);
    }
    return frames;
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.pending.length;
  }
}

export function withSizePrefix(frame: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + frame.length);
  out.writeInt32BE(frame.length, 0);
  out.set(frame, 4);
  return out;
}

export interface RequestHeaderPeek {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  /** null when the client sent a null client id (length -1). */
  readonly clientId: string | null;
}

/**
 * Reads the fixed part of a request header: INT16 api key, INT16 api version, INT32 correlation
 * id, then the client id as a NULLABLE_STRING with an INT16 length (in header v1 and v2 alike).
 */
export function peekRequestHeader(frame: Uint8Array): RequestHeaderPeek {
  const buf = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (buf.length < 10) throw new Error(`request frame too short (${buf.length} bytes)`);
  const apiKey = buf.readInt16BE(0);
  const apiVersion = buf.readInt16BE(2);
  const correlationId = buf.readInt32BE(4);
  const clientIdLength = buf.readInt16BE(8);
  const clientId = clientIdLength < 0 ? null : buf.toString("utf8", 10, 10 + clientIdLength);
  return { apiKey, apiVersion, correlationId, clientId };
}

/** A response header starts with the INT32 correlation id (header v0 and v1). */
export function peekResponseCorrelationId(frame: Uint8Array): number {
  const buf = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (buf.length < 4) throw new Error(`response frame too short (${buf.length} bytes)`);
  return buf.readInt32BE(0);
}
