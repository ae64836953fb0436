import type { StorageLogger } from "../../logger.js";
import type { ObjectStoreHealth } from "../store-health.js";
import type { HealthChangeListener } from "./s3-options.js";

/** Settings of a {@link HealthTracker}. */
export interface HealthTrackerOptions {
  unavailableAfterFailures: number;
  healthyAfterSuccesses: number;
  logger: StorageLogger;
  onChange: HealthChangeListener | undefined;
  /** Fields added to each transition's log line (bucket, endpoint; never credentials). */
  fields: Record<string, unknown>;
}

/**
 * The health state machine of an S3 store (see {@link ObjectStoreHealth}):
 * - a retried attempt, or a call that failed after all retries → `degraded`;
 * - `unavailableAfterFailures` such calls in a row, or one call that used up
 *   its whole time budget → `unavailable`;
 * - a successful call makes `unavailable` `degraded`; `healthyAfterSuccesses`
 *   clean calls in a row (no retry) make it `healthy`.
 * Calls that end with a final S3 answer (404, 412, 416) count as successes:
 * the service answered. Each transition is logged once and reported to `onChange`.
 */
export class HealthTracker {
  #state: ObjectStoreHealth = "healthy";
  #failuresInRow = 0;
  #cleanInRow = 0;
  readonly #o: HealthTrackerOptions;

  constructor(options: HealthTrackerOptions) {
    this.#o = options;
  }

  get state(): ObjectStoreHealth {
    return this.#state;
  }

  /** An attempt failed and is being retried. */
  retried(reason: string): void {
    this.#cleanInRow = 0;
    if (this.#state === "healthy") this.#set("degraded", reason);
  }

  /** A call completed; `retried` says whether any of its attempts failed. */
  succeeded(retried: boolean): void {
    this.#failuresInRow = 0;
    this.#cleanInRow = retried ? 0 : this.#cleanInRow + 1;
    if (this.#state !== "healthy" && this.#cleanInRow >= this.#o.healthyAfterSuccesses) {
      this.#set("healthy", `${this.#cleanInRow} calls in a row succeeded without retries`);
    } else if (this.#state === "unavailable") {
      this.#set("degraded", "a call succeeded again");
    }
  }

  /** A call failed after all its retries, or (`budgetExhausted`) ran out of time. */
  failed(reason: string, budgetExhausted: boolean): void {
    this.#cleanInRow = 0;
    this.#failuresInRow++;
    if (budgetExhausted || this.#failuresInRow >= this.#o.unavailableAfterFailures) {
      const why = budgetExhausted ? `a call used up its time budget: ${reason}` : `${this.#failuresInRow} calls in a row failed: ${reason}`;
      if (this.#state !== "unavailable") this.#set("unavailable", why);
    } else if (this.#state === "healthy") {
      this.#set("degraded", `a call failed after all retries: ${reason}`);
    }
  }

  #set(state: ObjectStoreHealth, reason: string): void {
    const previous = this.#state;
    this.#state = state;
    const fields = { ...this.#o.fields, health: state, previous, reason };
    const message = `S3 object store is ${state}`;
    if (state === "healthy") this.#o.logger.info(fields, message);
    else if (state === "degraded") this.#o.logger.warn(fields, message);
    else this.#o.logger.error(fields, message);
    try {
      this.#o.onChange?.(state, previous, reason);
    } catch (err) {
      this.#o.logger.warn({ ...this.#o.fields, err }, "onHealthChange listener threw");
    }
  }
}
