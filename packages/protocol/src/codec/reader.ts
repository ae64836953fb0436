import { ProtocolError } from "./protocol-error.js";
import { decodeUtf8 } from "./utf8.js";
import { uuidToString } from "./uuid.js";

/**
 * Reads Kafka primitive types from a byte range. Byte fields come back as `subarray`s of the
 * input (no copy). Every length is checked against the bytes left before anything is
 * allocated, so a hostile length can never make the reader allocate more than the input size.
 */
export class Reader {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;
  private dataView: DataView | undefined;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** Made on first use: most messages need only the byte arithmetic below. */
  private get view(): DataView {
    return (this.dataView ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength));
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Advances over `n` bytes, failing if they are not there; returns the old position. */
  private take(n: number): number {
    const at = this.pos;
    if (n > this.end - at) {
      throw new ProtocolError("TRUNCATED", `needed ${n} bytes at offset ${at}, ${this.end - at} left`);
    }
    this.pos = at + n;
    return at;
  }

  int8(): number {
    return (this.buf[this.take(1)]! << 24) >> 24;
  }
  int16(): number {
    const at = this.take(2);
    const b = this.buf;
    return ((b[at]! << 24) | (b[at + 1]! << 16)) >> 16;
  }
  uint16(): number {
    const at = this.take(2);
    const b = this.buf;
    return (b[at]! << 8) | b[at + 1]!;
  }
  int32(): number {
    const at = this.take(4);
    const b = this.buf;
    return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
  }
  uint32(): number {
    return this.int32() >>> 0;
  }
  int64(): bigint {
    return this.view.getBigInt64(this.take(8));
  }
  float64(): number {
    return this.view.getFloat64(this.take(8));
  }
  bool(): boolean {
    return this.buf[this.take(1)] !== 0;
  }
  uuid(): string {
    return uuidToString(this.buf, this.take(16));
  }

  /** Unsigned LEB128 varint of at most 32 bits. */
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      if (this.pos >= this.end) throw new ProtocolError("TRUNCATED", `varint runs past the end at offset ${this.pos}`);
      const b = this.buf[this.pos++]!;
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        if (shift === 28 && b > 0x0f) break;
        return value >>> 0;
      }
    }
    throw new ProtocolError("INVALID_VARINT", `varint longer than 32 bits at offset ${this.pos}`);
  }

  /** Zig-zag signed varint of at most 32 bits. */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zig-zag signed varint of at most 64 bits. */
  varlong(): bigint {
    let value = 0n;
    for (let shift = 0n; shift <= 63n; shift += 7n) {
      if (this.pos >= this.end) throw new ProtocolError("TRUNCATED", `varlong runs past the end at offset ${this.pos}`);
      const b = this.buf[this.pos++]!;
      value |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (value >> 1n) ^ -(value & 1n);
    }
    throw new ProtocolError("INVALID_VARINT", `varlong longer than 64 bits at offset ${this.pos}`);
  }

  /** Checks a declared length against the bytes left, before anything is allocated. */
  private checkLength(n: number, what: string): void {
    if (n > this.end - this.pos) {
      throw new ProtocolError("INVALID_LENGTH", `${what} of ${n} bytes declared at offset ${this.pos}, only ${this.end - this.pos} left`);
    }
  }

  private utf8(n: number): string {
    this.checkLength(n, "string");
    const at = this.pos;
    this.pos += n;
    return decodeUtf8(this.buf, at, at + n);
  }

  /** INT16 length (-1 = null) then UTF-8. */
  nullableString(): string | null {
    const n = this.int16();
    if (n < 0) {
      if (n === -1) return null;
      throw new ProtocolError("INVALID_LENGTH", `string length ${n} at offset ${this.pos - 2}`);
    }
    return this.utf8(n);
  }

  /** Unsigned varint length + 1 (0 = null) then UTF-8. */
  compactNullableString(): string | null {
    const n = this.uvarint() - 1;
    return n < 0 ? null : this.utf8(n);
  }

  string(): string {
    return nonNull(this.nullableString(), "string", this.pos);
  }
  compactString(): string {
    return nonNull(this.compactNullableString(), "string", this.pos);
  }

  /** Exactly `n` bytes as a view into the input. */
  raw(n: number): Uint8Array {
    this.checkLength(n, "byte field");
    const at = this.pos;
    this.pos += n;
    // A plain view, whatever the input's class: Buffer#subarray is several times slower.
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset + at, n);
  }

  /** INT32 length (-1 = null) then bytes (a view, not a copy). */
  nullableBytes(): Uint8Array | null {
    const n = this.int32();
    if (n < 0) {
      if (n === -1) return null;
      throw new ProtocolError("INVALID_LENGTH", `bytes length ${n} at offset ${this.pos - 4}`);
    }
    return this.raw(n);
  }

  /** Unsigned varint length + 1 (0 = null) then bytes (a view, not a copy). */
  compactNullableBytes(): Uint8Array | null {
    const n = this.uvarint() - 1;
    return n < 0 ? null : this.raw(n);
  }

  bytes(): Uint8Array {
    return nonNull(this.nullableBytes(), "bytes", this.pos);
  }
  compactBytes(): Uint8Array {
    return nonNull(this.compactNullableBytes(), "bytes", this.pos);
  }

  /**
   * INT32 element count, -1 for null. As in Kafka, a count larger than the bytes left is
   * refused before the array is allocated (every element takes at least one byte).
   */
  arrayLength(): number {
    const n = this.int32();
    if (n < -1) throw new ProtocolError("INVALID_LENGTH", `array length ${n} at offset ${this.pos - 4}`);
    if (n > 0) this.checkLength(n, "array");
    return n;
  }

  /** Unsigned varint count + 1, 0 for null (returned as -1). */
  compactArrayLength(): number {
    const n = this.uvarint() - 1;
    if (n > 0) this.checkLength(n, "array");
    return n;
  }
}

function nonNull<T>(value: T | null, what: string, at: number): T {
  if (value === null) throw new ProtocolError("NULL_NOT_ALLOWED", `non-nullable ${what} was null at offset ${at}`);
  return value;
}
