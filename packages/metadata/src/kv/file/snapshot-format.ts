import { MetadataError } from "../../errors.js";
import type { KeyValue } from "../kv-store.js";
import { KvState } from "../kv-state.js";
import { ByteReader, ByteWriter } from "./binary.js";
import { crc32c } from "./crc.js";
import { leaseNumber } from "./log-format.js";

/**
 * The embedded store's snapshot, `metadata.snap`: every key at one revision (big-endian):
 *
 * ```
 * snapshot = magic u32 "KSNP" (0x4B534E50), version u32 = 1, revision u64, count u32,
 *            entry[count], crc u32 = CRC-32C of everything before it
 * entry    = key string, value bytes, createRevision u64, modRevision u64, version u64,
 *            leaseId u64 (0: none)
 * ```
 *
 * Written to `metadata.snap.tmp`, synced, renamed over `metadata.snap`, directory synced: a
 * snapshot is either the old one or the new one, never torn. Any damage is `CORRUPT_DATA`.
 */
export const SNAPSHOT_MAGIC = 0x4b534e50;
export const SNAPSHOT_VERSION = 1;

export function encodeSnapshot(state: KvState): Buffer {
  const w = new ByteWriter(64 * 1024).u32(SNAPSHOT_MAGIC).u32(SNAPSHOT_VERSION).u64(state.revision).u32(state.size);
  for (const kv of state.range("")) {
    w.string(kv.key).bytes(kv.value).u64(kv.createRevision).u64(kv.modRevision).u64(kv.version).u64(leaseNumber(kv.leaseId));
  }
  const body = w.finish();
  const out = Buffer.allocUnsafe(body.length + 4);
  body.copy(out);
  out.writeUInt32BE(crc32c(body), body.length);
  return out;
}

export function decodeSnapshot(buf: Buffer, path: string): KvState {
  if (buf.length < 24) throw new MetadataError("CORRUPT_DATA", `snapshot ${path} is too short (${buf.length} bytes)`);
  const body = buf.subarray(0, buf.length - 4);
  const stored = buf.readUInt32BE(buf.length - 4);
  const computed = crc32c(body);
  if (stored !== computed) {
    throw new MetadataError("CORRUPT_DATA", `snapshot ${path} is damaged: checksum 0x${hex(stored)} stored, 0x${hex(computed)} computed; restore the data directory from a backup`);
  }
  const r = new ByteReader(body, `snapshot ${path}`);
  const magic = r.u32();
  if (magic !== SNAPSHOT_MAGIC) throw new MetadataError("CORRUPT_DATA", `${path} is not a Kafscale metadata snapshot (magic 0x${hex(magic)})`);
  const version = r.u32();
  if (version !== SNAPSHOT_VERSION) throw new MetadataError("CORRUPT_DATA", `snapshot ${path} has format version ${version}; this build reads version ${SNAPSHOT_VERSION}`);
  const state = new KvState();
  state.revision = r.u64();
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const key = r.string();
    const value = r.bytes();
    const createRevision = r.u64();
    const modRevision = r.u64();
    const version = r.u64();
    const lease = r.u64();
    const kv: KeyValue = { key, value, createRevision, modRevision, version };
    state.set(lease === 0 ? kv : { ...kv, leaseId: String(lease) });
  }
  if (r.remaining !== 0) throw new MetadataError("CORRUPT_DATA", `snapshot ${path}: ${r.remaining} bytes after the last entry`);
  return state;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}
