/**
 * @kafscale/group-coordinator: Kafka's classic consumer group coordinator as a library.
 *
 * The broker decodes a request with @kafscale/protocol, calls the matching
 * {@link GroupCoordinator} method with the request's API version, and encodes the response at
 * that version. Groups and committed offsets live behind a {@link GroupStore}.
 */
export type { Clock, TimerHandle } from "./clock.js";
export { systemClock } from "./clock.js";
export type { ManualClock } from "./manual-clock.js";
export { createManualClock } from "./manual-clock.js";
export type { Logger } from "./logger.js";
export { silentLogger } from "./logger.js";
export type { GroupState } from "./group-state.js";
export { GROUP_STATES } from "./group-state.js";
export type { RequestContext } from "./context.js";
export type { GroupCoordinatorOptions } from "./options.js";
export type { CoordinatorStatus } from "./runtime.js";
export type { GroupCoordinator } from "./coordinator.js";
export { createGroupCoordinator } from "./coordinator.js";
export type { GroupStore, PersistedGroup, PersistedMember, StoredOffset, TopicPartition } from "./group-store.js";
export type { MemoryGroupStore } from "./memory-group-store.js";
export { createMemoryGroupStore } from "./memory-group-store.js";
export { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from "./subscriptions.js";
export { CLASSIC_GROUP_TYPE } from "./list-groups.js";
