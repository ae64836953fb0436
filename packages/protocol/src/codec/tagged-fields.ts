import type { Reader } from "./reader.js";
import { Writer } from "./writer.js";

/** A tagged field this codec has no name for: kept as read and written back unchanged. */
export interface UnknownTaggedField {
  tag: number;
  data: Uint8Array;
}

/** A known tagged field that is present: its tag and how to write its value. */
export interface TaggedFieldWrite {
  tag: number;
  write: (w: Writer) => void;
}

/** Reads a tagged field the codec does not know and appends it to `into`. */
export function readUnknownTaggedField(r: Reader, tag: number, size: number, into: UnknownTaggedField[] | undefined): UnknownTaggedField[] {
  const list = into ?? [];
  list.push({ tag, data: r.raw(size) });
  return list;
}

/** Writes the tagged-field section: count, then each field (known and unknown) in tag order. */
export function writeTaggedFields(w: Writer, known: TaggedFieldWrite[] | null, unknown: UnknownTaggedField[] | undefined): void {
  const unknownCount = unknown === undefined ? 0 : unknown.length;
  const knownCount = known === null ? 0 : known.length;
  w.uvarint(knownCount + unknownCount);
  if (knownCount + unknownCount === 0) return;
  const all: { tag: number; bytes: Uint8Array }[] = [];
  if (known !== null) {
    for (const k of known) {
      const sub = new Writer(64);
      k.write(sub);
      all.push({ tag: k.tag, bytes: sub.finish() });
    }
  }
  if (unknown !== undefined) for (const u of unknown) all.push({ tag: u.tag, bytes: u.data });
  all.sort((a, b) => a.tag - b.tag);
  for (const f of all) {
    w.uvarint(f.tag);
    w.uvarint(f.bytes.length);
    w.raw(f.bytes);
  }
}
