import { RecordBatchError } from "../errors.js";

const SKIPPABLE_MAGIC = 0x184d2a50;
const SKIPPABLE_MASK = 0xfffffff0;

export function corrupt(message: string): RecordBatchError {
  return new RecordBatchError("CORRUPT_COMPRESSED_DATA", message);
}

/**
 * A bounds-checked position in a sequence of LZ4 or zstd frames. Both formats share the
 * skippable-frame convention (little-endian magic 0x184D2A5?, then a u32 size), which
 * `nextFrameMagic` steps over.
 */
export class FrameCursor {
  pos = 0;
  readonly view: DataView;

  constructor(
    readonly data: Uint8Array,
    private readonly codec: string,
  ) {
    if (data.length === 0) throw corrupt(`${codec} payload is empty`);
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get atEnd(): boolean {
    return this.pos >= this.data.length;
  }

  /** Fails unless `n` more bytes are there. */
  need(n: number, what: string): void {
    if (this.pos + n > this.data.length) throw corrupt(`${this.codec} ${what} at byte ${this.pos} runs past the end (${this.data.length} bytes)`);
  }

  /** The magic of the next frame that is not skippable (skippable frames are stepped over), or null at the end. */
  nextFrameMagic(): number | null {
    while (!this.atEnd) {
      this.need(4, "frame magic");
      const magic = this.view.getUint32(this.pos, true);
      this.pos += 4;
      if ((magic & SKIPPABLE_MASK) >>> 0 !== SKIPPABLE_MAGIC) return magic;
      this.need(4, "skippable frame size");
      const size = this.view.getUint32(this.pos, true);
      this.pos += 4;
      this.need(size, "skippable frame");
      this.pos += size;
    }
    return null;
  }
}
