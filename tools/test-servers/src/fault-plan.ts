import { seededRandom } from "./seeded-random.js";

/**
 * What the S3 fault proxy can do to a request:
 * - `slowDown`: answer `503 SlowDown` with S3's XML error body, without forwarding;
 * - `internalError`: answer `500 InternalError`, without forwarding;
 * - `delay`: forward, then hold the response for `delayMs` (past the client's timeout);
 * - `dropBeforeForward`: destroy the client's connection without forwarding;
 * - `dropAfterForward`: forward (the request takes effect), then destroy the
 *   client's connection instead of answering.
 */
export type FaultKind = "slowDown" | "internalError" | "delay" | "dropBeforeForward" | "dropAfterForward";

/**
 * One rule of a {@link FaultPlan}: which requests it matches, and when it
 * fires among them. With none of `every`, `next` and `probability` it fires
 * for every matching request.
 */
export interface FaultRule {
  fault: FaultKind;
  /** Only requests with this HTTP method (case-insensitive). */
  method?: string;
  /** Only requests whose object key (the path after the bucket, decoded) contains this. */
  keyContains?: string;
  /** Fires for the Nth, 2Nth, 3Nth… matching request. */
  every?: number;
  /** Fires for the next N matching requests, then never. */
  next?: number;
  /** Fires for each matching request with this probability (0–1), drawn from the plan's seeded RNG. */
  probability?: number;
  /** How long `delay` holds the response (default 10 s). */
  delayMs?: number;
}

/** The faults to inject: rules are tried in order, the first that fires applies. */
export interface FaultPlan {
  rules: readonly FaultRule[];
  /** Seed of the RNG behind `probability` (default 1): the same plan injects the same faults. */
  seed?: number;
}

/** Picks the fault (if any) for each request according to a {@link FaultPlan}. */
export class FaultSchedule {
  readonly #rules: readonly FaultRule[];
  readonly #seen: number[];
  readonly #random: () => number;

  constructor(plan: FaultPlan) {
    for (const rule of plan.rules) validateRule(rule);
    this.#rules = plan.rules;
    this.#seen = plan.rules.map(() => 0);
    this.#random = seededRandom(plan.seed ?? 1);
  }

  /** The rule that fires for this request, or undefined to forward it untouched. */
  pick(method: string, key: string): FaultRule | undefined {
    for (const [i, rule] of this.#rules.entries()) {
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.keyContains !== undefined && !key.includes(rule.keyContains)) continue;
      const n = ++this.#seen[i]!;
      if (this.#fires(rule, n)) return rule;
    }
    return undefined;
  }

  #fires(rule: FaultRule, n: number): boolean {
    if (rule.every !== undefined) return n % rule.every === 0;
    if (rule.next !== undefined) return n <= rule.next;
    if (rule.probability !== undefined) return this.#random() < rule.probability;
    return true;
  }
}

function validateRule(rule: FaultRule): void {
  const schedules = [rule.every, rule.next, rule.probability].filter((v) => v !== undefined).length;
  if (schedules > 1) throw new Error(`fault rule ${JSON.stringify(rule)}: give at most one of every, next, probability`);
  if (rule.every !== undefined && !(Number.isInteger(rule.every) && rule.every >= 1)) throw new Error(`fault rule: every must be an integer ≥ 1`);
  if (rule.next !== undefined && !(Number.isInteger(rule.next) && rule.next >= 0)) throw new Error(`fault rule: next must be an integer ≥ 0`);
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) throw new Error(`fault rule: probability must be in [0, 1]`);
}

