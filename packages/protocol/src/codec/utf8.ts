const decoder = new TextDecoder("utf-8", { fatal: false });
const encoder = new TextEncoder();

/** Decodes UTF-8; short ASCII strings take a loop that is faster than TextDecoder. */
export function decodeUtf8(b: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let s = "";
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c >= 0x80) return decoder.decode(b.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(b.subarray(start, end));
}

/** The UTF-8 bytes of a string, or `null` when it is ASCII (the caller then copies char codes). */
export function encodeUtf8IfNotAscii(s: string): Uint8Array | null {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return encoder.encode(s);
  }
  return null;
}
