import { afterAll, afterEach, beforeAll } from "vitest";
import { BrokerProcess, type BrokerProcessOptions } from "./broker-process.js";
import { killClientProcesses } from "./processes.js";

export interface BrokerFixture {
  /** The running broker (set by beforeAll). */
  readonly broker: BrokerProcess;
  readonly bootstrap: string;
  /** Registers a cleanup that afterAll runs (clients to disconnect), newest first. */
  defer(cleanup: () => unknown): void;
  /** Adds output (a client's log) to what a failed test prints. */
  printOnFailure(name: string, output: () => string): void;
}

/** What a broker can be started on besides the embedded default: the variables that point it there. */
export interface BrokerBackend {
  readonly name: string;
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * One broker per test file: started in beforeAll on a free port with a fresh data directory,
 * its output printed after every failed test, and everything (clients, client processes, the
 * broker, the data directory) torn down in afterAll even when tests failed.
 */
export function useBroker(options: BrokerProcessOptions = {}): BrokerFixture {
  return useBrokerOn(async () => undefined, options);
}

/**
 * Like useBroker(), with the broker on a backend: beforeAll first starts the backend (`start`),
 * then the broker with the backend's variables plus `options.env`; afterAll also stops the
 * backend, after the broker.
 */
export function useBrokerOn<B extends BrokerBackend | undefined>(start: () => Promise<B>, options: BrokerProcessOptions = {}): BrokerFixture & { readonly backend: B } {
  let broker: BrokerProcess | undefined;
  let backend: B | undefined;
  const cleanups: (() => unknown)[] = [];
  const outputs: [string, () => string][] = [];
  const fixture = {
    get broker() {
      if (broker === undefined) throw new Error("the broker did not start (see beforeAll's error)");
      return broker;
    },
    get backend(): B {
      if (broker === undefined) throw new Error("the backend or the broker did not start (see beforeAll's error)");
      return backend as B;
    },
    get bootstrap() {
      return fixture.broker.bootstrap;
    },
    defer(cleanup: () => unknown) {
      cleanups.push(cleanup);
    },
    printOnFailure(name: string, output: () => string) {
      outputs.push([name, output]);
    },
  };
  beforeAll(async () => {
    backend = await start();
    const env = { ...backend?.env, ...options.env };
    broker = await BrokerProcess.start(backend === undefined ? options : { startTimeoutMs: 60_000, ...options, env });
  }, 180_000);
  afterEach((ctx) => {
    if (ctx.task.result?.state === "fail" && broker !== undefined) {
      const extra = outputs.map(([name, output]) => `--- ${name} ---\n${output()}`).join("\n");
      const on = backend === undefined ? "" : ` (backend ${backend.name})`;
      console.error(`${ctx.task.name}: failed${on}; ${broker.tail()}\n${extra}`);
    }
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await withTimeout(Promise.resolve().then(cleanup), 15_000);
      } catch {
        // a client that cannot close cleanly must not keep the broker, its files and servers alive
      }
    }
    killClientProcesses();
    await broker?.destroy();
    await backend?.stop();
  }, 120_000);
  return fixture;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}

/** Polls until check() returns a value other than undefined, or fails with what() after the timeout. */
export async function eventually<T>(what: () => string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
