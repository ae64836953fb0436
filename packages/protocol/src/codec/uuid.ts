import { ProtocolError } from "./protocol-error.js";

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The all-zero UUID, Kafka's `Uuid.ZERO_UUID`: "no topic ID". */
export const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

/** Formats 16 bytes as a canonical lower-case UUID string (8-4-4-4-12). */
export function uuidToString(b: Uint8Array, at: number): string {
  let s = "";
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += "-";
    s += HEX[b[at + i]!];
  }
  return s;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Writes a canonical UUID string (or its 32 hex digits without dashes) as 16 bytes at `at`. */
export function uuidToBytes(uuid: string, out: Uint8Array, at: number): void {
  const dashed = uuid.length === 36;
  if (!dashed && uuid.length !== 32) throw invalidUuid(uuid);
  let i = 0;
  for (let byte = 0; byte < 16; byte++) {
    if (dashed && (i === 8 || i === 13 || i === 18 || i === 23)) {
      if (uuid.charCodeAt(i) !== 45) throw invalidUuid(uuid);
      i++;
    }
    const hi = hexValue(uuid.charCodeAt(i));
    const lo = hexValue(uuid.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) throw invalidUuid(uuid);
    out[at + byte] = (hi << 4) | lo;
    i += 2;
  }
}

function invalidUuid(uuid: string): ProtocolError {
  return new ProtocolError("INVALID_VALUE", `not a UUID: ${JSON.stringify(uuid)}`);
}
