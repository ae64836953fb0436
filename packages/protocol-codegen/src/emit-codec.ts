import type { FieldModel, MessageModel, Primitive, StructModel } from "./model.js";
import { elemType } from "./emit-types.js";
import { type VersionRange, intersect, isEmpty, versionCondition } from "./versions.js";

/** Method names on Reader/Writer for each primitive: [non-flexible, flexible]. */
const FIXED: Partial<Record<Primitive, string>> = {
  int8: "int8",
  int16: "int16",
  uint16: "uint16",
  int32: "int32",
  uint32: "uint32",
  int64: "int64",
  float64: "float64",
  bool: "bool",
  uuid: "uuid",
};

function ternary(cond: string, a: string, b: string): string {
  if (cond === "true") return a;
  if (cond === "false") return b;
  return `(${cond} ? ${a} : ${b})`;
}

function guard(cond: string, body: string[], indent: string): string[] {
  if (cond === "false") return [];
  if (cond === "true") return body.map((l) => indent + l);
  return [`${indent}if (${cond}) {`, ...body.map((l) => `${indent}  ${l}`), `${indent}}`];
}

function isTagged(f: FieldModel): boolean {
  return !isEmpty(intersect(f.tagged, f.versions));
}

/** The condition, for code running at a version of the field, that the field is flexible. */
function flexCond(f: FieldModel, msgFlexible: VersionRange): string {
  if (isTagged(f)) return "true";
  return versionCondition(f.flexibleOverride ?? msgFlexible, f.versions);
}

function nullCond(f: FieldModel): string {
  return versionCondition(intersect(f.nullable, f.versions), f.versions);
}

function literal(p: Primitive, value: string | number | boolean): string {
  switch (p) {
    case "int64":
      return `${BigInt(value)}n`;
    case "bool":
      return String(value === true || value === "true");
    case "string":
      return JSON.stringify(String(value));
    default:
      return String(Number(value));
  }
}

/** The value a field takes when a message being written leaves it out. */
function defaultExpr(f: FieldModel): string {
  const d = f.specDefault;
  if (d === "null" && !isEmpty(f.nullable)) return "null";
  if (f.isArray) return "[]";
  if (typeof f.elem !== "string") return `{} as ${f.elem.typeName}`;
  switch (f.elem) {
    case "string":
      return d === undefined || d === "null" ? '""' : literal("string", d);
    case "uuid":
      return "ZERO_UUID";
    case "bytes":
    case "records":
      return isEmpty(f.nullable) ? "EMPTY_BYTES" : "null";
    case "bool":
      return d === undefined ? "false" : literal("bool", d);
    case "int64":
      return d === undefined || d === "" ? "0n" : literal("int64", d);
    default:
      return d === undefined || d === "" ? "0" : literal(f.elem, d);
  }
}

function readScalar(elem: Primitive | StructModel, flex: string, nullable: string, r: string): string {
  if (typeof elem !== "string") {
    const read = `read${elem.typeName}(${r}, v)`;
    if (nullable === "false") return read;
    const isNull = nullable === "true" ? `${r}.int8() < 0` : `${nullable} && ${r}.int8() < 0`;
    return `(${isNull} ? null : ${read})`;
  }
  const fixed = FIXED[elem];
  if (fixed !== undefined) return `${r}.${fixed}()`;
  const kind = elem === "string" ? "String" : "Bytes";
  const lower = kind === "String" ? "string" : "bytes";
  const nullableRead = ternary(flex, `${r}.compactNullable${kind}()`, `${r}.nullable${kind}()`);
  const plainRead = ternary(flex, `${r}.compact${kind}()`, `${r}.${lower}()`);
  return ternary(nullable, nullableRead, plainRead);
}

function readField(f: FieldModel, target: string, msgFlexible: VersionRange, r: string): string[] {
  const flex = flexCond(f, msgFlexible);
  const nullable = nullCond(f);
  if (!f.isArray) return [`${target} = ${readScalar(f.elem, flex, nullable, r)};`];
  const onNull =
    nullable === "true"
      ? `${target} = null;`
      : nullable === "false"
        ? `nullNotAllowed(${JSON.stringify(f.specName)});`
        : `if (${nullable}) ${target} = null; else nullNotAllowed(${JSON.stringify(f.specName)});`;
  return [
    "{",
    `  const n = ${ternary(flex, `${r}.compactArrayLength()`, `${r}.arrayLength()`)};`,
    `  if (n < 0) ${onNull}`,
    "  else {",
    `    const a: ${elemType(f)}[] = [];`,
    `    for (let i = 0; i < n; i++) a.push(${readScalar(f.elem, flex, "false", r)});`,
    `    ${target} = a;`,
    "  }",
    "}",
  ];
}

function writeScalar(elem: Primitive | StructModel, flex: string, nullable: string, x: string, name: string): string[] {
  if (typeof elem !== "string") {
    const write = `write${elem.typeName}(w, ${x}, v);`;
    if (nullable === "false") return [write];
    const onNull = nullable === "true" ? "w.int8(-1);" : `if (${nullable}) w.int8(-1); else nullNotAllowed(${JSON.stringify(name)});`;
    return [`{ const s = ${x}; if (s === null) ${onNull} else { w.int8(1); write${elem.typeName}(w, s, v); } }`];
  }
  const fixed = FIXED[elem];
  if (fixed !== undefined) return [`w.${fixed}(${x});`];
  const kind = elem === "string" ? "String" : "Bytes";
  const lower = kind === "String" ? "string" : "bytes";
  const nullableWrite = ternary(flex, `w.compactNullable${kind}(${x})`, `w.nullable${kind}(${x})`);
  const plainWrite = ternary(flex, `w.compact${kind}(${x})`, `w.${lower}(${x})`);
  return [`${ternary(nullable, nullableWrite, plainWrite)};`];
}

function writeField(f: FieldModel, x: string, msgFlexible: VersionRange): string[] {
  const flex = flexCond(f, msgFlexible);
  const nullable = nullCond(f);
  if (!f.isArray) return writeScalar(f.elem, flex, nullable, x, f.specName);
  const onNull =
    nullable === "true"
      ? `${ternary(flex, "w.compactArrayLength(null)", "w.arrayLength(null)")};`
      : nullable === "false"
        ? `nullNotAllowed(${JSON.stringify(f.specName)});`
        : `if (${nullable}) ${ternary(flex, "w.compactArrayLength(null)", "w.arrayLength(null)")}; else nullNotAllowed(${JSON.stringify(f.specName)});`;
  const elemWrite = writeScalar(f.elem, flex, "false", "e", f.specName);
  const writeAll = [
    `${ternary(flex, "w.compactArrayLength(a.length)", "w.arrayLength(a.length)")};`,
    `for (const e of a) ${elemWrite.length === 1 ? elemWrite[0] : `{ ${elemWrite.join(" ")} }`}`,
  ];
  if (nullable === "false") return ["{", `  const a = ${x};`, ...writeAll.map((l) => `  ${l}`), "}"];
  return ["{", `  const a = ${x};`, `  if (a === null) ${onNull}`, "  else {", ...writeAll.map((l) => `    ${l}`), "  }", "}"];
}

function valueExpr(f: FieldModel): string {
  const access = `m.${f.prop}`;
  return isEmpty(intersect(f.nullable, f.versions)) ? `${access} ?? ${defaultExpr(f)}` : `${access} === undefined ? ${defaultExpr(f)} : ${access}`;
}

export function emitRead(s: StructModel, msg: MessageModel): string[] {
  const lines = [`function read${s.typeName}(r: Reader, v: number): ${s.typeName} {`, `  const m = {} as ${s.typeName};`];
  for (const f of s.fields) {
    if (isEmpty(f.versions) || isTagged(f)) continue;
    lines.push(...guard(versionCondition(f.versions, s.scope), readField(f, `m.${f.prop}`, msg.flexible, "r"), "  "));
  }
  const flexScope = intersect(msg.flexible, s.scope);
  if (!isEmpty(flexScope)) {
    const body = ["const tagCount = r.uvarint();", "for (let i = 0; i < tagCount; i++) {", "  const tag = r.uvarint();", "  const size = r.uvarint();"];
    let first = true;
    for (const f of s.fields) {
      if (!isTagged(f)) continue;
      const cond = versionCondition(intersect(f.tagged, f.versions), flexScope);
      if (cond === "false") continue;
      const check = cond === "true" ? `tag === ${f.tag}` : `tag === ${f.tag} && ${cond}`;
      body.push(`  ${first ? "" : "} else "}if (${check}) {`, "    const t = new Reader(r.raw(size));", ...readField(f, `m.${f.prop}`, msg.flexible, "t").map((l) => `    ${l}`));
      first = false;
    }
    const unknown = "m.unknownTaggedFields = readUnknownTaggedField(r, tag, size, m.unknownTaggedFields);";
    if (first) body.push(`  ${unknown}`);
    else body.push("  } else {", `    ${unknown}`, "  }");
    body.push("}");
    lines.push(...guard(versionCondition(msg.flexible, s.scope), body, "  "));
  }
  lines.push("  return m;", "}");
  return lines;
}

export function emitWrite(s: StructModel, msg: MessageModel): string[] {
  const lines = [`function write${s.typeName}(w: Writer, m: ${s.typeName}, v: number): void {`];
  for (const f of s.fields) {
    if (isEmpty(f.versions) || isTagged(f)) continue;
    lines.push(...guard(versionCondition(f.versions, s.scope), writeField(f, valueExpr(f), msg.flexible), "  "));
  }
  const flexScope = intersect(msg.flexible, s.scope);
  if (!isEmpty(flexScope)) {
    const known: string[] = [];
    for (const f of s.fields) {
      if (!isTagged(f)) continue;
      const cond = versionCondition(intersect(f.tagged, f.versions), flexScope);
      if (cond === "false") continue;
      const present = cond === "true" ? `m.${f.prop} !== undefined` : `${cond} && m.${f.prop} !== undefined`;
      known.push(
        `if (${present}) {`,
        `  const x = m.${f.prop};`,
        `  tagged.push({ tag: ${f.tag}, write: (w) => {`,
        ...writeField(f, "x", msg.flexible).map((l) => `    ${l}`),
        "  } });",
        "}",
      );
    }
    const body =
      known.length === 0
        ? ["writeTaggedFields(w, null, m.unknownTaggedFields);"]
        : ["const tagged: TaggedFieldWrite[] = [];", ...known, "writeTaggedFields(w, tagged, m.unknownTaggedFields);"];
    lines.push(...guard(versionCondition(msg.flexible, s.scope), body, "  "));
  }
  lines.push("}");
  return lines;
}
