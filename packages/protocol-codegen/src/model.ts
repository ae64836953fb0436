import type { FieldSpec, MessageSpec } from "./spec.js";
import { type VersionRange, NO_VERSIONS, covers, intersect, isEmpty, parseVersions } from "./versions.js";
import { camelCase } from "./names.js";

export type Primitive = "int8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "float64" | "bool" | "string" | "bytes" | "records" | "uuid";

const PRIMITIVES = new Set<string>(["int8", "int16", "uint16", "int32", "uint32", "int64", "float64", "bool", "string", "bytes", "records", "uuid"]);

export interface FieldModel {
  specName: string;
  prop: string;
  about: string;
  /** Versions the field exists in, within its struct's scope. */
  versions: VersionRange;
  nullable: VersionRange;
  tagged: VersionRange;
  tag: number | null;
  /** The field's own flexibleVersions, when it overrides the message's. */
  flexibleOverride: VersionRange | null;
  isArray: boolean;
  /** A primitive name, or the struct the field (or its elements) holds. */
  elem: Primitive | StructModel;
  specDefault: string | number | boolean | undefined;
  /** Whether the TypeScript property is optional (it is absent in some versions, or tagged). */
  optional: boolean;
}

export interface StructModel {
  specName: string;
  typeName: string;
  /** Versions in which this struct can be read or written (its scope). */
  scope: VersionRange;
  fields: FieldModel[];
  /** Whether the struct is a message's top level. */
  root: boolean;
}

export interface MessageModel {
  spec: MessageSpec;
  typeName: string;
  valid: VersionRange;
  flexible: VersionRange;
  root: StructModel;
  /** Every struct of the message, the root first, then in order of first use. */
  structs: StructModel[];
}

/**
 * The TypeScript name of a nested struct: the message name and the struct's, except that a
 * struct whose spec name already names its message ("MetadataResponseTopic" in
 * MetadataResponse) keeps it. `assignUniqueNames` settles the rare clash.
 */
function structTypeName(messageName: string, specName: string): string {
  return specName.startsWith(messageName) ? specName : `${messageName}${specName}`;
}

/** Gives the message prefix back to struct names that two messages would otherwise share. */
export function assignUniqueNames(models: MessageModel[]): void {
  const owners = new Map<string, number>();
  for (const m of models) for (const s of m.structs) owners.set(s.typeName, (owners.get(s.typeName) ?? 0) + 1);
  for (const m of models) {
    for (const s of m.structs) {
      if (!s.root && (owners.get(s.typeName) ?? 0) > 1) s.typeName = `${m.typeName}${s.specName}`;
    }
  }
}

/** Builds the model of one message spec: its structs, with the versions each field exists in. */
export function buildMessage(spec: MessageSpec): MessageModel {
  const valid = parseVersions(spec.validVersions);
  const flexible = parseVersions(spec.flexibleVersions);
  const structs = new Map<string, StructModel>();
  const common = new Map((spec.commonStructs ?? []).map((s) => [s.name, s]));
  const order: StructModel[] = [];

  // A common struct may be used by several fields with different versions: its scope is the
  // versions it declares (within the message's), so its code is right for every use.
  function structFor(specName: string, fields: FieldSpec[] | undefined, scope: VersionRange): StructModel {
    const existing = structs.get(specName);
    if (fields === undefined) {
      if (existing !== undefined) return existing;
      const def = common.get(specName);
      if (def === undefined) throw new Error(`${spec.file}: unknown struct type ${specName}`);
      const s: StructModel = { specName, typeName: structTypeName(spec.name, specName), scope: intersect(parseVersions(def.versions), valid), fields: [], root: false };
      structs.set(specName, s);
      order.push(s);
      s.fields = def.fields.map((f) => buildField(f, s));
      return s;
    }
    if (existing !== undefined) throw new Error(`${spec.file}: struct ${specName} is defined twice`);
    const s: StructModel = { specName, typeName: structTypeName(spec.name, specName), scope, fields: [], root: false };
    structs.set(specName, s);
    order.push(s);
    s.fields = fields.map((f) => buildField(f, s));
    return s;
  }

  function buildField(f: FieldSpec, owner: StructModel): FieldModel {
    const versions = intersect(parseVersions(f.versions), owner.scope);
    const isArray = f.type.startsWith("[]");
    const base = isArray ? f.type.slice(2) : f.type;
    const tagged = parseVersions(f.taggedVersions);
    const elem: Primitive | StructModel = PRIMITIVES.has(base)
      ? (base as Primitive)
      : structFor(base, f.fields, isEmpty(versions) ? NO_VERSIONS : versions);
    return {
      specName: f.name,
      prop: camelCase(f.name),
      about: f.about ?? "",
      versions,
      nullable: parseVersions(f.nullableVersions),
      tagged,
      tag: f.tag === undefined ? null : Number(f.tag),
      flexibleOverride: f.flexibleVersions === undefined ? null : parseVersions(f.flexibleVersions),
      isArray,
      elem,
      specDefault: f.default,
      optional: !isEmpty(intersect(tagged, versions)) || !covers(versions, owner.scope),
    };
  }

  const root: StructModel = { specName: spec.name, typeName: spec.name, scope: valid, fields: [], root: true };
  order.push(root);
  root.fields = spec.fields.map((f) => buildField(f, root));
  return { spec, typeName: spec.name, valid, flexible, root, structs: order };
}
