import { MetadataError } from "../errors.js";
import { decodeGroupId, encodeGroupId } from "./group-id-encoding.js";

/** Default root of every key: `/kafscale`. */
export const DEFAULT_KEY_PREFIX = "/kafscale";

/** A key under `/consumers/`, parsed. */
export type ConsumerKey =
  | { readonly kind: "metadata"; readonly groupId: string }
  | { readonly kind: "offset"; readonly groupId: string; readonly topic: string; readonly partition: number };

/**
 * The etcd keys of the reference design, under a root (default `/kafscale`):
 *
 * | key                                           | value               |
 * |-----------------------------------------------|---------------------|
 * | `{root}/topics/{topic}/config`                | `TopicConfig`       |
 * | `{root}/topics/{topic}/partitions/{p}`        | `PartitionState`    |
 * | `{root}/consumers/{group}/metadata`           | `ConsumerGroup`     |
 * | `{root}/consumers/{group}/offsets/{topic}/{p}`| `CommittedOffset`   |
 * | `{root}/brokers/{id}` (leased)                | `BrokerRegistration`|
 * | `{root}/assignments/{topic}/{p}`              | `PartitionAssignment` |
 * | `{root}/segments/{topic}/{p}/{base:020d}`     | `SegmentInfo`       |
 *
 * Segments have keys of their own (not a list inside `PartitionState`, as the reference design
 * had it): a flush then writes one small key instead of rewriting a list that grows with every
 * flush, and topic listings never read them.
 * `{topic}` is the validated topic name, `{p}` and `{id}` are decimal, `{group}` is the group id
 * percent-encoded by {@link encodeGroupId}. None of them can contain `/`.
 */
export class MetadataKeys {
  readonly topicsPrefix: string;
  readonly consumersPrefix: string;
  readonly brokersPrefix: string;
  readonly assignmentsRoot: string;
  readonly segmentsRoot: string;

  constructor(readonly root: string = DEFAULT_KEY_PREFIX) {
    if (!/^\/[^/]/.test(root) || root.endsWith("/")) {
      throw new MetadataError("INVALID_ARGUMENT", `key prefix must start with "/" and not end with "/", got "${root}"`);
    }
    this.topicsPrefix = `${root}/topics/`;
    this.consumersPrefix = `${root}/consumers/`;
    this.brokersPrefix = `${root}/brokers/`;
    this.assignmentsRoot = `${root}/assignments/`;
    this.segmentsRoot = `${root}/segments/`;
  }

  /** All segments of a topic, or of one of its partitions. */
  segmentsPrefix(topic: string, partition?: number): string {
    return `${this.segmentsRoot}${topic}/${partition === undefined ? "" : `${partition}/`}`;
  }
  /** A segment's key; the base offset is zero-padded to 20 digits so key order is offset order. */
  segment(topic: string, partition: number, baseOffset: bigint): string {
    return `${this.segmentsPrefix(topic, partition)}${baseOffset.toString().padStart(20, "0")}`;
  }

  topicPrefix(topic: string): string {
    return `${this.topicsPrefix}${topic}/`;
  }
  topicConfig(topic: string): string {
    return `${this.topicsPrefix}${topic}/config`;
  }
  partitionsPrefix(topic: string): string {
    return `${this.topicsPrefix}${topic}/partitions/`;
  }
  partition(topic: string, partition: number): string {
    return `${this.partitionsPrefix(topic)}${partition}`;
  }
  groupPrefix(groupId: string): string {
    return `${this.consumersPrefix}${encodeGroupId(groupId)}/`;
  }
  groupMetadata(groupId: string): string {
    return `${this.groupPrefix(groupId)}metadata`;
  }
  /** All offsets of a group, or of one topic in it. */
  offsetsPrefix(groupId: string, topic?: string): string {
    return `${this.groupPrefix(groupId)}offsets/${topic === undefined ? "" : `${topic}/`}`;
  }
  offset(groupId: string, topic: string, partition: number): string {
    return `${this.offsetsPrefix(groupId, topic)}${partition}`;
  }
  broker(brokerId: number): string {
    return `${this.brokersPrefix}${brokerId}`;
  }
  /** All assignments, or those of one topic. */
  assignmentsPrefix(topic?: string): string {
    return topic === undefined ? this.assignmentsRoot : `${this.assignmentsRoot}${topic}/`;
  }
  assignment(topic: string, partition: number): string {
    return `${this.assignmentsRoot}${topic}/${partition}`;
  }

  /** The topic of a `…/topics/{topic}/config` key. */
  parseTopicConfigKey(key: string): string | undefined {
    const rest = after(key, this.topicsPrefix);
    const m = rest === undefined ? null : /^([^/]+)\/config$/.exec(rest);
    return m?.[1];
  }

  /** Topic and partition of a `…/topics/{topic}/partitions/{p}` key. */
  parsePartitionKey(key: string): { topic: string; partition: number } | undefined {
    const rest = after(key, this.topicsPrefix);
    const m = rest === undefined ? null : /^([^/]+)\/partitions\/(0|[1-9][0-9]*)$/.exec(rest);
    return m === null ? undefined : { topic: m[1]!, partition: Number(m[2]) };
  }

  /** Topic and partition of a `…/assignments/{topic}/{p}` key. */
  parseAssignmentKey(key: string): { topic: string; partition: number } | undefined {
    const rest = after(key, this.assignmentsRoot);
    const m = rest === undefined ? null : /^([^/]+)\/(0|[1-9][0-9]*)$/.exec(rest);
    return m === null ? undefined : { topic: m[1]!, partition: Number(m[2]) };
  }

  /** A key under `…/consumers/`. */
  parseConsumerKey(key: string): ConsumerKey | undefined {
    const rest = after(key, this.consumersPrefix);
    if (rest === undefined) return undefined;
    const slash = rest.indexOf("/");
    if (slash < 0) return undefined;
    const groupId = decodeGroupId(rest.slice(0, slash));
    if (groupId === undefined) return undefined;
    const tail = rest.slice(slash + 1);
    if (tail === "metadata") return { kind: "metadata", groupId };
    const m = /^offsets\/([^/]+)\/(0|[1-9][0-9]*)$/.exec(tail);
    return m === null ? undefined : { kind: "offset", groupId, topic: m[1]!, partition: Number(m[2]) };
  }

  /** The broker id of a `…/brokers/{id}` key. */
  parseBrokerKey(key: string): number | undefined {
    const rest = after(key, this.brokersPrefix);
    return rest !== undefined && /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : undefined;
  }
}

function after(key: string, prefix: string): string | undefined {
  return key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
}
