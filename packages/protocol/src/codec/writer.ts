import { ProtocolError } from "./protocol-error.js";
import { encodeUtf8IfNotAscii } from "./utf8.js";
import { uuidToBytes } from "./uuid.js";

/** Byte fields at least this long are referenced, not copied, when the output is taken as chunks. */
export const ZERO_COPY_MIN_BYTES = 4096;

/**
 * Writes Kafka primitive types into a growing buffer. Large byte fields (records above all)
 * are kept by reference: `chunks()` returns the output as a list of views for a vectored
 * write, so the records bytes are never copied; `finish()` joins them into one array.
 */
export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  /** Start of the part of `buf` not yet moved to `done`. */
  private segmentStart = 0;
  private readonly done: Uint8Array[] = [];
  private doneBytes = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.doneBytes + (this.pos - this.segmentStart);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.segmentStart;
    const next = new Uint8Array(Math.max(this.buf.length * 2, used + n + 64));
    next.set(this.buf.subarray(this.segmentStart, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
    this.segmentStart = 0;
    this.pos = used;
  }

  int8(v: number): void {
    this.ensure(1);
    this.view.setInt8(this.pos, v);
    this.pos += 1;
  }
  int16(v: number): void {
    this.ensure(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
  }
  uint16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }
  int32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }
  uint32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
  }
  int64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
  }
  float64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }
  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }
  uuid(v: string): void {
    this.ensure(16);
    uuidToBytes(v, this.buf, this.pos);
    this.pos += 16;
  }

  uvarint(v: number): void {
    this.ensure(5);
    let u = v >>> 0;
    while (u >= 0x80) {
      this.buf[this.pos++] = (u & 0x7f) | 0x80;
      u >>>= 7;
    }
    this.buf[this.pos++] = u;
  }
  varint(v: number): void {
    this.uvarint((v << 1) ^ (v >> 31));
  }
  varlong(v: bigint): void {
    let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.ensure(10);
    while (u >= 0x80n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  private stringBody(s: string, compact: boolean): void {
    const utf8 = encodeUtf8IfNotAscii(s);
    const n = utf8 === null ? s.length : utf8.length;
    if (compact) this.uvarint(n + 1);
    else {
      if (n > 0x7fff) throw new ProtocolError("INVALID_VALUE", `string of ${n} bytes is longer than INT16 allows`);
      this.int16(n);
    }
    this.ensure(n);
    if (utf8 === null) {
      for (let i = 0; i < n; i++) this.buf[this.pos + i] = s.charCodeAt(i);
    } else {
      this.buf.set(utf8, this.pos);
    }
    this.pos += n;
  }

  nullableString(s: string | null): void {
    if (s === null) this.int16(-1);
    else this.stringBody(s, false);
  }
  compactNullableString(s: string | null): void {
    if (s === null) this.uvarint(0);
    else this.stringBody(s, true);
  }
  string(s: string | null): void {
    this.stringBody(nonNull(s, "string"), false);
  }
  compactString(s: string | null): void {
    this.stringBody(nonNull(s, "string"), true);
  }

  /** Appends bytes as they are; large ones are referenced, not copied. */
  raw(b: Uint8Array): void {
    if (b.length >= ZERO_COPY_MIN_BYTES) {
      this.closeSegment();
      this.done.push(b);
      this.doneBytes += b.length;
      return;
    }
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  nullableBytes(b: Uint8Array | null): void {
    if (b === null) this.int32(-1);
    else {
      this.int32(b.length);
      this.raw(b);
    }
  }
  compactNullableBytes(b: Uint8Array | null): void {
    if (b === null) this.uvarint(0);
    else {
      this.uvarint(b.length + 1);
      this.raw(b);
    }
  }
  bytes(b: Uint8Array | null): void {
    this.nullableBytes(nonNull(b, "bytes"));
  }
  compactBytes(b: Uint8Array | null): void {
    this.compactNullableBytes(nonNull(b, "bytes"));
  }

  /** INT32 count, -1 for null. */
  arrayLength(n: number | null): void {
    this.int32(n === null ? -1 : n);
  }
  /** Unsigned varint count + 1, 0 for null. */
  compactArrayLength(n: number | null): void {
    this.uvarint(n === null ? 0 : n + 1);
  }

  private closeSegment(): void {
    if (this.pos > this.segmentStart) {
      this.done.push(this.buf.subarray(this.segmentStart, this.pos));
      this.doneBytes += this.pos - this.segmentStart;
      this.segmentStart = this.pos;
    }
  }

  /** The output as views, for a vectored write; large byte fields are the caller's own arrays. */
  chunks(): Uint8Array[] {
    this.closeSegment();
    return this.done.slice();
  }

  /** The output as one array (copies only when large byte fields were referenced). */
  finish(): Uint8Array {
    if (this.done.length === 0) return this.buf.subarray(this.segmentStart, this.pos);
    const parts = this.chunks();
    if (parts.length === 1) return parts[0]!;
    // Every byte is written below, so the array need not be zero-filled first.
    const unsafe = Buffer.allocUnsafe(this.doneBytes);
    const out = new Uint8Array(unsafe.buffer, unsafe.byteOffset, this.doneBytes);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

function nonNull<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new ProtocolError("NULL_NOT_ALLOWED", `non-nullable ${what} is null`);
  return value;
}
