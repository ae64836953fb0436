import type { FieldModel, Primitive, StructModel } from "./model.js";
import { formatRange, intersect, isEmpty } from "./versions.js";

const TS_TYPES: Record<Primitive, string> = {
  int8: "number",
  int16: "number",
  uint16: "number",
  int32: "number",
  uint32: "number",
  int64: "bigint",
  float64: "number",
  bool: "boolean",
  string: "string",
  uuid: "string",
  bytes: "Uint8Array",
  records: "Uint8Array",
};

export function elemType(f: FieldModel): string {
  return typeof f.elem === "string" ? TS_TYPES[f.elem] : f.elem.typeName;
}

export function fieldType(f: FieldModel): string {
  const base = f.isArray ? `${elemType(f)}[]` : elemType(f);
  return isEmpty(intersect(f.nullable, f.versions)) ? base : `${base} | null`;
}

function docComment(f: FieldModel): string[] {
  const notes = [`Versions: ${formatRange(f.versions)}.`];
  const nullable = intersect(f.nullable, f.versions);
  if (!isEmpty(nullable)) notes.push(`Nullable: ${formatRange(nullable)}.`);
  const tagged = intersect(f.tagged, f.versions);
  if (!isEmpty(tagged)) notes.push(`Tagged (tag ${f.tag}): ${formatRange(tagged)}.`);
  if (f.specDefault !== undefined) notes.push(`Default: ${String(f.specDefault)}.`);
  const about = f.about.replace(/\*\//g, "*\\/");
  return ["  /**", ...(about ? [`   * ${about}`] : []), `   * ${notes.join(" ")}`, "   */"];
}

/** Whether a struct can be flexible in any version of its scope. */
export function canBeFlexible(s: StructModel, flexible: { min: number; max: number }): boolean {
  return !isEmpty(intersect(flexible, s.scope));
}

export function emitInterface(s: StructModel, flexible: { min: number; max: number }): string[] {
  const lines = [`/** ${s.root ? "" : `${s.specName}, part of ${s.typeName.slice(0, -s.specName.length)}. `}Versions: ${formatRange(s.scope)}. */`];
  lines.push(`export interface ${s.typeName} {`);
  for (const f of s.fields) {
    if (isEmpty(f.versions)) continue;
    lines.push(...docComment(f));
    lines.push(`  ${f.prop}${f.optional ? "?" : ""}: ${fieldType(f)};`);
  }
  if (canBeFlexible(s, flexible)) {
    lines.push("  /** Tagged fields this codec has no name for, kept as read and written back. */");
    lines.push("  unknownTaggedFields?: UnknownTaggedField[];");
  }
  lines.push("}");
  return lines;
}
