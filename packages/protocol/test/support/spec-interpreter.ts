import type { FieldModel, MessageModel, StructModel } from "@kafscale/protocol-codegen/model";
import { type VersionRange, intersect, isEmpty } from "@kafscale/protocol-codegen/versions";

/**
 * A second, deliberately simple encoder that walks the spec model at run time. It shares no
 * code with the generated codec or its Writer, so the two agreeing byte for byte is evidence
 * that the generator applied the spec's rules, not just that reading undoes writing.
 */
const within = (r: VersionRange, v: number): boolean => !isEmpty(r) && v >= r.min && v <= r.max;

class Bytes {
  out: number[] = [];
  fixed(n: number, value: number | bigint, signed = true): void {
    let x = BigInt.asUintN(n * 8, BigInt(value));
    const bytes: number[] = [];
    for (let i = 0; i < n; i++) {
      bytes.unshift(Number(x & 0xffn));
      x >>= 8n;
    }
    void signed;
    this.out.push(...bytes);
  }
  uvarint(value: number): void {
    let x = value >>> 0;
    while (x >= 0x80) {
      this.out.push((x & 0x7f) | 0x80);
      x >>>= 7;
    }
    this.out.push(x);
  }
  raw(b: Uint8Array | number[]): void {
    for (const x of b) this.out.push(x);
  }
}

function isTagged(f: FieldModel, v: number): boolean {
  return within(intersect(f.tagged, f.versions), v);
}

function writeValue(b: Bytes, f: FieldModel, value: unknown, v: number, flexible: boolean, elem: boolean): void {
  const nullable = !elem && within(f.nullable, v);
  if (f.isArray && !elem) {
    const arr = value as unknown[] | null;
    if (arr === null) {
      if (!nullable) throw new Error(`${f.specName} null`);
      if (flexible) b.uvarint(0);
      else b.fixed(4, -1);
      return;
    }
    if (flexible) b.uvarint(arr.length + 1);
    else b.fixed(4, arr.length);
    for (const e of arr) writeValue(b, f, e, v, flexible, true);
    return;
  }
  const t = f.elem;
  if (typeof t !== "string") {
    if (nullable) {
      if (value === null) return b.fixed(1, -1);
      b.fixed(1, 1);
    }
    writeStruct(b, t, value as Record<string, unknown>, v, flexible);
    return;
  }
  switch (t) {
    case "int8":
    case "bool":
      return b.fixed(1, typeof value === "boolean" ? (value ? 1 : 0) : (value as number));
    case "int16":
    case "uint16":
      return b.fixed(2, value as number);
    case "int32":
    case "uint32":
      return b.fixed(4, value as number);
    case "int64":
      return b.fixed(8, value as bigint);
    case "float64": {
      const dv = new DataView(new ArrayBuffer(8));
      dv.setFloat64(0, value as number);
      return b.raw(new Uint8Array(dv.buffer));
    }
    case "uuid":
      return b.raw(Buffer.from((value as string).replace(/-/g, ""), "hex"));
    case "string":
    case "bytes":
    case "records": {
      const data = value === null ? null : typeof value === "string" ? Buffer.from(value, "utf8") : (value as Uint8Array);
      const lengthBytes = t === "string" ? 2 : 4;
      if (data === null) {
        if (flexible) b.uvarint(0);
        else b.fixed(lengthBytes, -1);
        return;
      }
      if (flexible) b.uvarint(data.length + 1);
      else b.fixed(lengthBytes, data.length);
      return b.raw(data);
    }
  }
}

function writeStruct(b: Bytes, s: StructModel, m: Record<string, unknown>, v: number, flexible: boolean): void {
  const tagged: { tag: number; data: number[] }[] = [];
  for (const f of s.fields) {
    if (!within(f.versions, v)) continue;
    const fieldFlexible = f.flexibleOverride !== null ? within(f.flexibleOverride, v) : flexible;
    if (isTagged(f, v)) {
      if (m[f.prop] === undefined) continue;
      const sub = new Bytes();
      writeValue(sub, f, m[f.prop], v, true, false);
      tagged.push({ tag: f.tag!, data: sub.out });
    } else {
      writeValue(b, f, m[f.prop], v, fieldFlexible, false);
    }
  }
  if (!flexible) return;
  for (const u of (m.unknownTaggedFields as { tag: number; data: Uint8Array }[] | undefined) ?? []) tagged.push({ tag: u.tag, data: [...u.data] });
  tagged.sort((a, c) => a.tag - c.tag);
  b.uvarint(tagged.length);
  for (const t of tagged) {
    b.uvarint(t.tag);
    b.uvarint(t.data.length);
    b.raw(t.data);
  }
}

export function interpretEncode(model: MessageModel, message: unknown, v: number): Uint8Array {
  const b = new Bytes();
  writeStruct(b, model.root, message as Record<string, unknown>, v, within(model.flexible, v));
  return Uint8Array.from(b.out);
}
