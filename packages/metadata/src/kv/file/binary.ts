import { MetadataError } from "../../errors.js";

const TWO_32 = 2 ** 32;

/** Appends big-endian integers, strings and bytes to a growable buffer. */
export class ByteWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  u8(n: number): this {
    this.reserve(1);
    this.buf[this.pos++] = n;
    return this;
  }

  u32(n: number): this {
    this.reserve(4);
    this.buf.writeUInt32BE(n, this.pos);
    this.pos += 4;
    return this;
  }

  /** A non-negative safe integer as u64. */
  u64(n: number): this {
    this.reserve(8);
    this.buf.writeUInt32BE(Math.floor(n / TWO_32), this.pos);
    this.buf.writeUInt32BE(n >>> 0, this.pos + 4);
    this.pos += 8;
    return this;
  }

  /** u32 byte length, then the bytes. */
  bytes(b: Uint8Array): this {
    this.u32(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** u32 byte length, then UTF-8. */
  string(s: string): this {
    const n = Buffer.byteLength(s, "utf8");
    this.u32(n);
    this.reserve(n);
    this.buf.write(s, this.pos, n, "utf8");
    this.pos += n;
    return this;
  }

  /** The written bytes (a view, valid until the next write). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

/** Reads what {@link ByteWriter} wrote; throws `CORRUPT_DATA` (with `what`) when the bytes run out. */
export class ByteReader {
  pos = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u32(): number {
    this.need(4);
    const n = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return n;
  }

  u64(): number {
    this.need(8);
    const hi = this.buf.readUInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    const n = hi * TWO_32 + lo;
    if (!Number.isSafeInteger(n)) throw new MetadataError("CORRUPT_DATA", `${this.what}: integer ${hi}:${lo} is beyond 2^53`);
    return n;
  }

  bytes(): Uint8Array {
    const n = this.u32();
    this.need(n);
    const out = new Uint8Array(this.buf.subarray(this.pos, this.pos + n)); // copy: the file buffer is dropped
    this.pos += n;
    return out;
  }

  string(): string {
    const n = this.u32();
    this.need(n);
    const s = this.buf.toString("utf8", this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new MetadataError("CORRUPT_DATA", `${this.what}: needs ${n} more bytes at byte ${this.pos}, has ${this.buf.length - this.pos}`);
    }
  }
}
