import { ProtocolError } from "./codec/index.js";

/** Kafka's default `socket.request.max.bytes`: 100 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

export interface FrameSplitterOptions {
  /** Largest frame accepted, size prefix excluded; a larger prefix is an error before any allocation. */
  maxFrameBytes?: number;
}

/**
 * Splits a byte stream into Kafka frames (a 4-byte big-endian size, then that many bytes).
 * Feed it chunks as they arrive; it returns the frames completed by each chunk, without their
 * size prefix. A frame inside one chunk is returned as a view of it (no copy); a frame spread
 * over chunks is copied once into an array of its exact size.
 */
export class FrameSplitter {
  readonly maxFrameBytes: number;
  private readonly sizeBytes = new Uint8Array(4);
  private sizeFilled = 0;
  private partial: Uint8Array | null = null;
  private partialFilled = 0;

  constructor(options: FrameSplitterOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes held for a frame not yet complete (including its size prefix). */
  get bufferedBytes(): number {
    return this.sizeFilled + this.partialFilled;
  }

  /** The size of the frame being assembled, or -1 when between frames. */
  get pendingFrameBytes(): number {
    return this.partial === null ? -1 : this.partial.length;
  }

  private checkSize(size: number): void {
    if (size < 0) throw new ProtocolError("INVALID_FRAME", `negative frame size ${size}`);
    if (size > this.maxFrameBytes) {
      throw new ProtocolError("FRAME_TOO_LARGE", `frame of ${size} bytes is larger than the maximum of ${this.maxFrameBytes}`);
    }
  }

  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.partial !== null) {
        const n = Math.min(this.partial.length - this.partialFilled, chunk.length - at);
        this.partial.set(chunk.subarray(at, at + n), this.partialFilled);
        this.partialFilled += n;
        at += n;
        if (this.partialFilled === this.partial.length) {
          frames.push(this.partial);
          this.partial = null;
          this.partialFilled = 0;
        }
        continue;
      }
      let size: number;
      if (this.sizeFilled === 0 && chunk.length - at >= 4) {
        size = ((chunk[at]! << 24) | (chunk[at + 1]! << 16) | (chunk[at + 2]! << 8) | chunk[at + 3]!) | 0;
        at += 4;
      } else {
        while (this.sizeFilled < 4 && at < chunk.length) this.sizeBytes[this.sizeFilled++] = chunk[at++]!;
        if (this.sizeFilled < 4) break;
        this.sizeFilled = 0;
        const b = this.sizeBytes;
        size = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) | 0;
      }
      this.checkSize(size);
      if (chunk.length - at >= size) {
        frames.push(chunk.subarray(at, at + size));
        at += size;
      } else {
        // Filled by the chunks that follow before anyone sees it: no need to zero it first.
        const unfilled = Buffer.allocUnsafeSlow(size);
        this.partial = new Uint8Array(unfilled.buffer, unfilled.byteOffset, size);
        this.partialFilled = 0;
      }
    }
    return frames;
  }
}
