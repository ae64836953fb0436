/** Bytes from hex with any whitespace, `|` or `_` used to lay fields out. */
export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.replace(/[\s|_]/g, ""), "hex"));
}

/** Lowercase hex of bytes or of concatenated chunks. */
export function toHex(bytes: Uint8Array | readonly Uint8Array[]): string {
  const chunks = bytes instanceof Uint8Array ? [bytes] : bytes;
  return chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString("hex")).join("");
}

/** Concatenates chunks into one buffer. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}
