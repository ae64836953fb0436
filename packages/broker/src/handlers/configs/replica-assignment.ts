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
