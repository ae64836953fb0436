import type { ReadBack } from "./ack-checker.js";
import { kcatProduce, parseKcatJson } from "./kcat.js";
import { run } from "./processes.js";

export interface ColdReadPass {
  /** The pass read every partition to its end (kcat -e exited 0 in time). */
  complete: boolean;
  records: number;
  ms: number;
  /** kcat's complaints (fetch errors it retried, or why the pass ended early). */
  errors: string[];
}

/**
 * A topic written once, in big batches, then read again and again from its beginning by kcat
 * (one pass after the other) while S3 fails. With a segment cache smaller than one of its
 * segments, every pass reads S3: each pass either completes with exactly the records written,
 * or fails / times out, and never returns anything else.
 */
export class ColdReader {
  readonly passes: ColdReadPass[] = [];
  /** Every record any pass read (to compare with the log). */
  readonly seen: ReadBack[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly bootstrap: string,
    readonly topic: string,
  ) {}

  /** Writes `count` messages of `valueBytes` each with kcat (acks=all, big batches: few, large segments). */
  async fill(count: number, valueBytes: number): Promise<void> {
    const pad = "x".repeat(valueBytes);
    const messages = Array.from({ length: count }, (_, i) => ({ key: `k${i % 8}`, value: `${this.topic}-${i}-${pad}` }));
    await kcatProduce(this.bootstrap, this.topic, messages, { extra: ["-X", "linger.ms=50"] });
  }

  /** Starts reading passes until stop(); each pass gives up after `passTimeoutMs`. */
  start(passTimeoutMs = 15_000): void {
    this.loop = (async () => {
      while (!this.stopped) await this.pass(passTimeoutMs);
    })();
  }

  /** Ends the loop after the current pass. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** One pass from the beginning to the end of every partition. */
  async pass(timeoutMs: number): Promise<ColdReadPass> {
    const started = Date.now();
    const args = ["-C", "-b", this.bootstrap, "-t", this.topic, "-o", "beginning", "-e", "-J", "-X", "fetch.wait.max.ms=100"];
    let result: ColdReadPass;
    try {
      const r = await run("kcat", args, { timeoutMs, allowFailure: true });
      const records = parseKcatJson(r.stdout);
      for (const m of records) this.seen.push({ topic: this.topic, partition: m.partition, offset: m.offset, value: m.value });
      const errors = r.stderr.split("\n").filter((l) => /error|fail/i.test(l));
      result = { complete: r.code === 0, records: records.length, ms: Date.now() - started, errors };
    } catch (err) {
      // timed out: what it printed is in the message only; count the pass as incomplete
      result = { complete: false, records: 0, ms: Date.now() - started, errors: [(err as Error).message.split("\n")[0] ?? ""] };
    }
    this.passes.push(result);
    return result;
  }

  /** "N passes (C complete, T incomplete), errors …" for the test log. */
  describe(): string {
    const complete = this.passes.filter((p) => p.complete).length;
    const errors = new Map<string, number>();
    for (const p of this.passes) for (const e of p.errors) errors.set(e.slice(0, 120), (errors.get(e.slice(0, 120)) ?? 0) + 1);
    return `${this.passes.length} passes (${complete} complete, ${this.passes.length - complete} incomplete), ${this.seen.length} records read, errors ${JSON.stringify([...errors].slice(0, 5))}`;
  }
}
