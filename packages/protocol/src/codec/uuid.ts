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

/** Writes a canonical UUID string as 16 bytes at `at`. */
export function uuidToBytes(uuid: string, out: Uint8Array, at: number): void {
  const hex = uuid.length === 36 ? uuid.replace(/-/g, "") : uuid;
  if (hex.length !== 32 || !/^[0-9a-fA-F]{32}$/.test(hex)) {
    throw new ProtocolError("INVALID_VALUE", `not a UUID: ${JSON.stringify(uuid)}`);
  }
  for (let i = 0; i < 16; i++) out[at + i] = parseInt(hex.substr(i * 2, 2), 16);
}
