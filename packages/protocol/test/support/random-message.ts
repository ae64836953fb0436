import type { FieldModel, MessageModel, StructModel } from "@kafscale/protocol-codegen/model";
import { type VersionRange, intersect, isEmpty } from "@kafscale/protocol-codegen/versions";

const within = (r: VersionRange, v: number): boolean => !isEmpty(r) && v >= r.min && v <= r.max;

/** A small seeded PRNG (mulberry32), so every failure can be replayed from its seed. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ["a", "Z", "0", "-", ".", "_", " ", "é", "ß", "€", "日本", "😀"];

/** Builds random messages that exist at a given version, every field drawn from its type's range. */
export class RandomMessages {
  /** Whether the message being built is at a flexible version (only then may it carry unknown tagged fields). */
  private flexible = false;

  constructor(private readonly rand: () => number) {}

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  private chance(p: number): boolean {
    return this.rand() < p;
  }
  private bytes(max: number): Uint8Array {
    return Uint8Array.from({ length: this.int(0, max) }, () => this.int(0, 255));
  }

  private scalar(f: FieldModel, v: number, depth: number): unknown {
    const t = f.elem;
    if (typeof t !== "string") return this.struct(t, v, depth + 1);
    switch (t) {
      case "int8":
        return this.int(-128, 127);
      case "int16":
        return this.int(-32768, 32767);
      case "uint16":
        return this.int(0, 65535);
      case "int32":
        return this.chance(0.2) ? [-1, 0, 2147483647, -2147483648][this.int(0, 3)] : this.int(-1e6, 1e9);
      case "uint32":
        return this.int(0, 4294967295);
      case "int64":
        return this.chance(0.2) ? [-1n, 0n, 9223372036854775807n, -9223372036854775808n][this.int(0, 3)] : BigInt(this.int(-1e9, 1e9)) * 4294967296n + BigInt(this.int(0, 4294967295));
      case "float64":
        return (this.rand() - 0.5) * 1e6;
      case "bool":
        return this.chance(0.5);
      case "uuid":
        return Array.from({ length: 16 }, () => this.int(0, 255).toString(16).padStart(2, "0"))
          .join("")
          .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
      case "string":
        return Array.from({ length: this.int(0, 12) }, () => ALPHABET[this.int(0, ALPHABET.length - 1)]).join("");
      case "bytes":
        return this.bytes(24);
      case "records":
        return this.bytes(200);
    }
  }

  private field(f: FieldModel, v: number, depth: number): unknown {
    if (within(f.nullable, v) && this.chance(0.2)) return null;
    if (!f.isArray) return this.scalar(f, v, depth);
    const n = depth > 4 ? 0 : this.int(0, 3);
    return Array.from({ length: n }, () => this.scalar(f, v, depth));
  }

  private struct(s: StructModel, v: number, depth = 0): Record<string, unknown> {
    const m: Record<string, unknown> = {};
    for (const f of s.fields) {
      if (!within(f.versions, v)) continue;
      if (within(intersect(f.tagged, f.versions), v) && this.chance(0.5)) continue;
      m[f.prop] = this.field(f, v, depth);
    }
    if (this.flexible && this.chance(0.15)) {
      m.unknownTaggedFields = [{ tag: this.int(1000, 2000), data: this.bytes(8) }];
    }
    return m;
  }

  message(model: MessageModel, v: number): Record<string, unknown> {
    this.flexible = within(model.flexible, v);
    return this.struct(model.root, v);
  }
}
