import { ErrorCode } from "@kafscale/protocol";
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

/** A config resource as the alter APIs name it. */
export interface NamedResource {
  resourceType: number;
  resourceName: string;
}

/**
 * Answers each resource of an alter request in order; a resource named more than once is
 * refused, once, with INVALID_REQUEST (as Kafka does), and not altered at all.
 */
export async function answerEachResource<R extends NamedResource>(
  resources: readonly R[],
  answer: (resource: R) => Promise<{ errorCode: number; errorMessage: string | null }>,
): Promise<Array<NamedResource & { errorCode: number; errorMessage: string | null }>> {
  const key = (r: NamedResource) => `${r.resourceType}:${r.resourceName}`;
  const repeated = duplicates(resources, key);
  const answered = new Set<string>();
  const responses: Array<NamedResource & { errorCode: number; errorMessage: string | null }> = [];
  for (const r of resources) {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    if (repeated.has(key(r))) {
      if (!answered.has(key(r))) responses.push({ ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: "Duplicate resource." });
      answered.add(key(r));
      continue;
    }
    responses.push({ ...base, ...(await answer(r)) });
  }
  return responses;
}
