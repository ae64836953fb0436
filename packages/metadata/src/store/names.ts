import { MetadataError } from "../errors.js";

const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC_NAME = 249;

/**
 * Checks a topic name as Kafka does: 1–249 characters from `[a-zA-Z0-9._-]`, not `.` or `..`.
 * Throws `INVALID_TOPIC_NAME`. Names that pass are safe as one etcd key segment.
 */
export function validateTopicName(name: string): void {
  if (typeof name !== "string" || name.length === 0) throw new MetadataError("INVALID_TOPIC_NAME", "topic name is empty");
  if (name.length > MAX_TOPIC_NAME) throw new MetadataError("INVALID_TOPIC_NAME", `topic name is ${name.length} characters long; the maximum is ${MAX_TOPIC_NAME}`);
  if (name === "." || name === "..") throw new MetadataError("INVALID_TOPIC_NAME", `topic name cannot be "${name}"`);
  if (!TOPIC_NAME.test(name)) throw new MetadataError("INVALID_TOPIC_NAME", `topic name "${name}" has characters outside [a-zA-Z0-9._-]`);
}

/** Checks a partition number: an integer in 0 .. 2^31-1. Throws `INVALID_ARGUMENT`. */
export function validatePartition(partition: number): void {
  if (!Number.isInteger(partition) || partition < 0 || partition > 0x7fffffff) {
    throw new MetadataError("INVALID_ARGUMENT", `partition must be an integer in 0..2147483647, got ${String(partition)}`);
  }
}

/** Checks a partition count: an integer in 1 .. 2^31-1. Throws `INVALID_ARGUMENT`. */
export function validatePartitionCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > 0x7fffffff) {
    throw new MetadataError("INVALID_ARGUMENT", `partition count must be an integer in 1..2147483647, got ${String(count)}`);
  }
}

/** Checks a broker id: an integer in 0 .. 2^31-1. Throws `INVALID_ARGUMENT`. */
export function validateBrokerId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
    throw new MetadataError("INVALID_ARGUMENT", `broker id must be an integer in 0..2147483647, got ${String(id)}`);
  }
}

/** Checks an expected revision: a non-negative safe integer (0: "must not exist"). Throws `INVALID_ARGUMENT`. */
export function validateRevision(revision: number): void {
  if (!Number.isSafeInteger(revision) || revision < 0) {
    throw new MetadataError("INVALID_ARGUMENT", `expected revision must be a non-negative integer, got ${String(revision)}`);
  }
}
