import { randomUUID } from "node:crypto";
import type { Clock } from "./clock.js";
import { systemClock } from "./clock.js";
import type { GroupStore } from "./group-store.js";
import type { Logger } from "./logger.js";
import { silentLogger } from "./logger.js";

/** Options of {@link createGroupCoordinator}; everything but `store` has Kafka's default. */
export interface GroupCoordinatorOptions {
  /** Where groups and committed offsets are kept. */
  readonly store: GroupStore;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: no logging. */
  readonly logger?: Logger;
  /**
   * How long the first rebalance of an empty group waits for more members, again while members
   * keep arriving, up to the rebalance timeout (`group.initial.rebalance.delay.ms`). Default 3000.
   */
  readonly initialRebalanceDelayMs?: number;
  /** Smallest session timeout a member may ask for (`group.min.session.timeout.ms`). Default 6000. */
  readonly minSessionTimeoutMs?: number;
  /** Largest session timeout a member may ask for (`group.max.session.timeout.ms`). Default 1800000. */
  readonly maxSessionTimeoutMs?: number;
  /** Most members a group may have (`group.max.size`); GROUP_MAX_SIZE_REACHED beyond. Default: unlimited. */
  readonly maxGroupSize?: number;
  /** How long a new member's JoinGroup may wait before it is dropped (Kafka: 5 minutes). Default 300000. */
  readonly newMemberJoinTimeoutMs?: number;
  /** Longest commit metadata string, in UTF-8 bytes (`offset.metadata.max.bytes`). Default 4096. */
  readonly maxOffsetMetadataBytes?: number;
  /** Whether this coordinator owns `groupId`; others are answered NOT_COORDINATOR. Default: owns all. */
  readonly isCoordinatorFor?: (groupId: string) => boolean;
  /**
   * Whether a partition exists. When given, OffsetCommit and OffsetDelete answer
   * UNKNOWN_TOPIC_OR_PARTITION for partitions that do not. Default: every partition exists.
   */
  readonly partitionExists?: (topic: string, partition: number) => boolean | Promise<boolean>;
  /** The Kafka error code for a store failure. Default: COORDINATOR_NOT_AVAILABLE (retriable). */
  readonly mapStoreError?: (error: unknown) => number;
  /** Member ids: `${prefix}-${uuid}` where prefix is the client id (or the group instance id). */
  readonly generateMemberId?: (prefix: string) => string;
}

/** The options with their defaults applied. */
export interface CoordinatorConfig {
  readonly initialRebalanceDelayMs: number;
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  readonly maxGroupSize: number;
  readonly newMemberJoinTimeoutMs: number;
  readonly maxOffsetMetadataBytes: number;
  readonly isCoordinatorFor: ((groupId: string) => boolean) | undefined;
  readonly partitionExists: ((topic: string, partition: number) => boolean | Promise<boolean>) | undefined;
  readonly mapStoreError: ((error: unknown) => number) | undefined;
  readonly generateMemberId: (prefix: string) => string;
}

export function resolveOptions(options: GroupCoordinatorOptions): {
  config: CoordinatorConfig;
  store: GroupStore;
  clock: Clock;
  logger: Logger;
} {
  return {
    store: options.store,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
    config: {
      initialRebalanceDelayMs: options.initialRebalanceDelayMs ?? 3000,
      minSessionTimeoutMs: options.minSessionTimeoutMs ?? 6000,
      maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 1_800_000,
      maxGroupSize: options.maxGroupSize ?? Number.POSITIVE_INFINITY,
      newMemberJoinTimeoutMs: options.newMemberJoinTimeoutMs ?? 300_000,
      maxOffsetMetadataBytes: options.maxOffsetMetadataBytes ?? 4096,
      isCoordinatorFor: options.isCoordinatorFor,
      partitionExists: options.partitionExists,
      mapStoreError: options.mapStoreError,
      generateMemberId: options.generateMemberId ?? ((prefix) => `${prefix}-${randomUUID()}`),
    },
  };
}
