import { StorageError } from "../errors.js";

/** The namespace used when none is configured (the operator sets the Kubernetes namespace). */
export const DEFAULT_NAMESPACE = "default";

export interface PartitionLocation {
  /** Default {@link DEFAULT_NAMESPACE}. */
  namespace?: string;
  topic: string;
  partition: number;
}

/** `{namespace}/{topic}/{partition}/`: the key prefix of a partition's objects. */
export function partitionKeyPrefix(location: PartitionLocation): string {
  const namespace = location.namespace ?? DEFAULT_NAMESPACE;
  checkName("namespace", namespace);
  checkName("topic", location.topic);
  if (!Number.isInteger(location.partition) || location.partition < 0 || location.partition > 0x7fffffff) {
    throw new StorageError("INVALID_ARGUMENT", `partition ${location.partition} is not a non-negative int32`);
  }
  return `${namespace}/${location.topic}/${location.partition}/`;
}

/** `{prefix}segment-{baseOffset:020d}.kfs`; zero-padding makes lexical order numeric order. */
export function segmentObjectKey(prefix: string, baseOffset: bigint): string {
  return `${prefix}segment-${pad20(baseOffset)}.kfs`;
}

/** `{prefix}segment-{baseOffset:020d}.index`. */
export function indexObjectKey(prefix: string, baseOffset: bigint): string {
  return `${prefix}segment-${pad20(baseOffset)}.index`;
}

const KEY_PATTERN = /^(.*\/)?segment-(\d{20})\.(kfs|index)$/;

/** Splits a segment or index key back into its parts; null for any other key. */
export function parseSegmentObjectKey(key: string): { prefix: string; baseOffset: bigint; kind: "segment" | "index" } | null {
  const match = KEY_PATTERN.exec(key);
  if (match === null) return null;
  return { prefix: match[1] ?? "", baseOffset: BigInt(match[2]!), kind: match[3] === "kfs" ? "segment" : "index" };
}

function pad20(offset: bigint): string {
  if (offset < 0n || offset >= 2n ** 63n) throw new StorageError("INVALID_ARGUMENT", `segment base offset ${offset} is not a non-negative int64`);
  return offset.toString().padStart(20, "0");
}

function checkName(what: string, name: string): void {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\\") || name.includes("\0")) {
    throw new StorageError("INVALID_ARGUMENT", `${what} ${JSON.stringify(name)} cannot be used in an object key`);
  }
}
