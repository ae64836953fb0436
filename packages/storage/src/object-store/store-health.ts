import type { ObjectStore } from "./object-store.js";

/**
 * How a network object store is doing:
 * - `healthy`: requests succeed at the first attempt;
 * - `degraded`: recent requests needed retries, or a call failed after all of them;
 * - `unavailable`: several calls in a row failed after all retries, or a call
 *   used up its whole time budget. Calls are still attempted (that is how the
 *   store notices it is back); a broker should answer with retriable errors.
 */
export type ObjectStoreHealth = "healthy" | "degraded" | "unavailable";

/**
 * The health of any {@link ObjectStore}: the backend's own view when it
 * tracks one (S3), else `healthy` (memory and file stores fail per call).
 */
export function objectStoreHealth(store: ObjectStore): ObjectStoreHealth {
  const health = (store as { health?: unknown }).health;
  return health === "degraded" || health === "unavailable" ? health : "healthy";
}
