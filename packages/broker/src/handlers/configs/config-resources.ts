/** Why a broker resource name does not name this broker, or null (Kafka's `ConfigHelper` wording). */
export function brokerResourceProblem(resourceName: string, nodeId: number): string | null {
  if (resourceName === "") return null;
  if (!/^-?\d+$/.test(resourceName)) return `Broker id must be an integer, but it is: ${resourceName}`;
  if (Number(resourceName) !== nodeId) return `Unexpected broker id, expected ${nodeId} or empty string, but received ${resourceName}`;
  return null;
}

/** The keys that occur more than once, keyed by `key(item)`. */
export function duplicates<T>(items: readonly T[], key: (item: T) => string): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) repeated.add(k);
    else seen.add(k);
  }
  return repeated;
}
