/**
 * Most partitions one CreateTopics topic or CreatePartitions topic may add: Kafka's controller
 * refuses operations of more than 10,000 records (`QuorumController.MAX_RECORDS_PER_USER_OP`),
 * and here each partition is a metadata write and an open log.
 */
export const MAX_NEW_PARTITIONS = 10_000;

/** Why adding `count` partitions at once is refused, or null (POLICY_VIOLATION, Kafka's message). */
export function newPartitionsProblem(count: number): string | null {
  return count > MAX_NEW_PARTITIONS ? "Unable to perform excessively large batch operation." : null;
}

/**
 * Why a manual replica list is not valid on this cluster, or null: Kafka's checks
 * (`ReplicationControlManager.validateManualPartitionAssignment`) with this broker as the only
 * registered one, so every list is exactly `[nodeId]` (object storage is the replication).
 */
export function replicaListProblem(brokerIds: readonly number[], nodeId: number): string | null {
  if (brokerIds.length === 0) return "The manual partition assignment includes an empty replica list.";
  const sorted = [...brokerIds].sort((a, b) => a - b);
  let previous: number | undefined;
  for (const id of sorted) {
    if (id !== nodeId) return `The manual partition assignment includes broker ${id}, but no such broker is registered.`;
    if (id === previous) return `The manual partition assignment includes the broker ${id} more than once.`;
    previous = id;
  }
  return null;
}
