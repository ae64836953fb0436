import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { AckChecker } from "./ack-checker.js";
import { LineProcess, PYTHON } from "./processes.js";

const ACKED_PRODUCER = resolve(fileURLToPath(new URL(".", import.meta.url)), "acked-producer.py");

type ProducerEvent =
  | { event: "ack"; seq: number; v: string; p: number; o: number }
  | { event: "fail"; seq: number; v: string; error: string; code: string }
  | { event: "client_error"; error: string; code: string }
  | { event: "request_error"; p: number; error: string; code: string }
  | { event: "done"; sent: number; acked: number; failed: number; purged: number }
  | { event: "output"; line: string };

export interface AckedProducerOptions {
  bootstrap: string;
  topic: string;
  /** Prefix of every value ("{run}-{seq}"): unique per test run. */
  run: string;
  /** Messages per second. */
  rate: number;
  keys?: number;
  /** Dots appended to each value (bigger segments). */
  pad?: number;
  /** How long stop() lets librdkafka deliver what is outstanding before purging it. */
  flushSeconds?: number;
  /** librdkafka settings over the defaults (acks=all, no idempotence, 1 in flight, linger 5 ms). */
  config?: Record<string, string | number | boolean>;
  /** Keep every line of librdkafka's "msg" debug log as an event (default: E2E_RDKAFKA_LOG=1). */
  logAll?: boolean;
}

/**
 * e2e/src/acked-producer.py driven from the test: produces steadily until stop(), and feeds
 * every delivery report into an AckChecker as it arrives.
 */
export class AckedProducer {
  readonly checker: AckChecker;
  private readonly proc: LineProcess<ProducerEvent>;
  private seen = 0;
  private readonly clientErrorList: string[] = [];
  private done: Extract<ProducerEvent, { event: "done" }> | undefined;
  private readonly failureCodes = new Map<string, number>();
  private readonly requestErrorCodes = new Map<string, number>();
  private requestErrorCount = 0;
  private reports = 0;
  private readonly retriedPartitions = new Set<number>();

  constructor(
    readonly name: string,
    private readonly options: AckedProducerOptions,
    checker = new AckChecker(),
  ) {
    this.checker = checker;
    const config = {
      name,
      bootstrap: options.bootstrap,
      topic: options.topic,
      run: options.run,
      rate: options.rate,
      keys: options.keys ?? 16,
      pad: options.pad ?? 0,
      flush_s: options.flushSeconds ?? 60,
      config: options.config ?? {},
      log_all: options.logAll ?? process.env["E2E_RDKAFKA_LOG"] === "1",
    };
    this.proc = new LineProcess<ProducerEvent>(name, PYTHON, [ACKED_PRODUCER, JSON.stringify(config)]);
  }

  /** Acknowledged messages so far. */
  get acked(): number {
    this.sync();
    return this.checker.acknowledged;
  }

  /** Delivery reports with an error so far. */
  get failed(): number {
    this.sync();
    return this.checker.failed;
  }

  /** librdkafka's error callbacks so far (connection refused, all brokers down, ...). */
  get clientErrors(): readonly string[] {
    this.sync();
    return this.clientErrorList;
  }

  /** Produce requests that failed (the broker's error or a local timeout): librdkafka retries them. */
  get requestErrors(): number {
    this.sync();
    return this.requestErrorCount;
  }

  /** Failed produce requests by librdkafka error name (NOT_LEADER_FOR_PARTITION, _TIMED_OUT, ...). */
  requestErrorsByCode(): Map<string, number> {
    this.sync();
    return new Map(this.requestErrorCodes);
  }

  /** Delivery failures by librdkafka error name. */
  failuresByCode(): Map<string, number> {
    this.sync();
    return new Map(this.failureCodes);
  }

  /** Options for AckChecker.check(): which values this producer sent, which partitions it retried after an error answer. */
  checkOptions(): { sent: (value: string) => boolean; retried: (topicPartition: string) => boolean } {
    this.sync();
    return {
      sent: (v) => this.sent(v),
      retried: (tp) => tp.startsWith(`${this.options.topic}/`) && this.retriedPartitions.has(Number(tp.slice(this.options.topic.length + 1))),
    };
  }

  /** Is this value one this producer sent (before stop: one it may have sent)? */
  sent(value: string): boolean {
    const m = /^(.*)-(\d+)\.*$/.exec(value);
    if (m === null || m[1] !== this.options.run) return false;
    return this.done === undefined || Number(m[2]) < this.done.sent;
  }

  /** Waits until at least `count` messages are acknowledged in total. */
  async waitForAcks(count: number, timeoutMs = 60_000): Promise<void> {
    await this.proc.waitFor(`${count} acknowledged (have ${this.acked})`, () => this.acked >= count, timeoutMs);
  }

  /** Waits until predicate() holds (checked whenever the producer reports something). */
  async waitFor(what: string, predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
    await this.proc.waitFor(what, () => predicate(), timeoutMs);
  }

  /** Stops producing, lets outstanding messages be delivered (or reported failed), waits for the exit. */
  async stop(timeoutMs = 120_000): Promise<{ sent: number; acked: number; failed: number; purged: number }> {
    await this.proc.stop(timeoutMs);
    this.sync();
    if (this.done === undefined) throw new Error(`${this.name} printed no done event\n${this.describe()}`);
    if (this.done.acked !== this.checker.acknowledged || this.done.acked + this.done.failed !== this.done.sent) {
      throw new Error(`${this.name}: delivery reports do not add up: ${JSON.stringify(this.done)}, ${this.checker.acknowledged} distinct acknowledgements\n${this.describe()}`);
    }
    return this.done;
  }

  kill(): void {
    this.proc.kill();
  }

  /** Every event the producer printed, as JSON lines (for a file next to a failure). */
  eventLines(): string {
    return this.proc.events.map((e) => JSON.stringify(e)).join("\n");
  }

  describe(): string {
    const lines = this.proc.describe().split("\n");
    const shown = lines.filter((l) => !l.startsWith('{"event":"ack"') && !l.startsWith('{"event":"request_error"') && !l.startsWith('{"event":"log"'));
    return `${shown.join("\n")}\n(${lines.length - shown.length} ack, request_error and log events not shown; request errors ${JSON.stringify([...this.requestErrorsByCode()])})`;
  }

  private sync(): void {
    const events = this.proc.events;
    for (; this.seen < events.length; this.seen++) {
      const e = events[this.seen]!;
      switch (e.event) {
        case "ack":
          this.checker.ack({ topic: this.options.topic, partition: e.p, offset: e.o, value: e.v, seq: e.seq, reported: this.reports++ });
          break;
        case "fail":
          this.reports++;
          this.checker.fail({ topic: this.options.topic, value: e.v, error: e.error });
          this.failureCodes.set(e.code, (this.failureCodes.get(e.code) ?? 0) + 1);
          break;
        case "request_error":
          this.requestErrorCount++;
          this.retriedPartitions.add(e.p);
          this.requestErrorCodes.set(e.code, (this.requestErrorCodes.get(e.code) ?? 0) + 1);
          break;
        case "client_error":
          this.clientErrorList.push(`${e.code}: ${e.error}`);
          break;
        case "done":
          this.done = e;
          break;
      }
    }
  }
}

/**
 * librdkafka's names of the errors a broker may answer while its S3 or etcd fails: all retriable
 * (the client retries them; with retries=0 it reports them).
 */
export const RETRIABLE_BROKER_ERRORS = new Set([
  "KAFKA_STORAGE_ERROR",
  "REQUEST_TIMED_OUT",
  "NOT_LEADER_FOR_PARTITION",
  "LEADER_NOT_AVAILABLE",
  "NOT_ENOUGH_REPLICAS",
  "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
  "UNKNOWN_TOPIC_OR_PART",
  "COORDINATOR_NOT_AVAILABLE",
  "NOT_COORDINATOR",
  "COORDINATOR_LOAD_IN_PROGRESS",
  "THROTTLING_QUOTA_EXCEEDED",
]);

/** Local librdkafka errors of a request that got no answer in time (or lost its connection). */
export const LOCAL_RETRIABLE_ERRORS = new Set(["_MSG_TIMED_OUT", "_TIMED_OUT", "_TRANSPORT"]);

/** What each count grew by since `before` (counts that did not grow are left out). */
export function countsSince(before: ReadonlyMap<string, number>, now: ReadonlyMap<string, number>): Map<string, number> {
  const grown = new Map<string, number>();
  for (const [k, v] of now) if (v > (before.get(k) ?? 0)) grown.set(k, v - (before.get(k) ?? 0));
  return grown;
}
