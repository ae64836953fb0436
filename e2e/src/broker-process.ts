import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@kafscale/test-servers";

/**
 * The built broker app; the suite runs what `pnpm build` produced, never the sources.
 * E2E_BROKER_MAIN points at another build (e.g. of a clean checkout while the tree is edited).
 */
export const BROKER_MAIN = process.env["E2E_BROKER_MAIN"] || resolve(fileURLToPath(new URL(".", import.meta.url)), "../../apps/broker/dist/main.cjs");

export interface BrokerProcessOptions {
  /** Extra KAFSCALE_* variables (they win over the harness defaults). */
  env?: Record<string, string>;
  /** How long start() waits for the port to accept connections. */
  startTimeoutMs?: number;
}

/** Broker processes still running: killed when the test worker exits, however it exits. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Output kept per broker process; the tail is printed when a test fails. */
const MAX_OUTPUT_CHARS = 200_000;

/**
 * The broker app as a child process on a free port of 127.0.0.1 with its own temporary data
 * directory (the embedded file:// default). stop() sends SIGTERM, kill() SIGKILL (a crash), and
 * start() again runs a new process on the same port and data directory.
 */
export class BrokerProcess {
  readonly dataDir: string;
  readonly port: number;
  private readonly env: Record<string, string>;
  private readonly startTimeoutMs: number;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private output = "";
  private generation = 0;

  private constructor(dataDir: string, port: number, options: BrokerProcessOptions) {
    this.dataDir = dataDir;
    this.port = port;
    this.startTimeoutMs = options.startTimeoutMs ?? 15_000;
    this.env = {
      KAFSCALE_DATA_DIR: dataDir,
      KAFSCALE_PORT: String(port),
      KAFSCALE_LISTEN_HOST: "127.0.0.1",
      KAFSCALE_ADVERTISED_HOST: "127.0.0.1",
      KAFSCALE_GROUP_INITIAL_REBALANCE_DELAY_MS: "100",
      KAFSCALE_DEFAULT_PARTITIONS: "4",
      KAFSCALE_LOG_LEVEL: process.env["E2E_BROKER_LOG_LEVEL"] ?? "warn",
      KAFSCALE_SHUTDOWN_TIMEOUT_MS: "10000",
      ...options.env,
    };
  }

  /** Creates the data directory, picks a free port and starts the broker. */
  static async start(options: BrokerProcessOptions = {}): Promise<BrokerProcess> {
    assertBrokerBuilt();
    const dataDir = await mkdtemp(join(tmpdir(), "kafscale-e2e-"));
    const broker = new BrokerProcess(dataDir, await freePort(), options);
    try {
      await broker.start();
    } catch (err) {
      await broker.destroy();
      throw err;
    }
    return broker;
  }

  /** host:port for clients. */
  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything the broker processes wrote so far (stdout and stderr, every run). */
  logs(): string {
    return this.output;
  }

  /** Starts a broker process (again) and waits until its port accepts connections. */
  async start(): Promise<void> {
    if (this.running) throw new Error("broker is already running");
    const run = ++this.generation;
    this.append(`--- broker run ${run}: node ${BROKER_MAIN} (port ${this.port}, data ${this.dataDir}) ---\n`);
    const child = spawn(process.execPath, [BROKER_MAIN], {
      env: { ...process.env, ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    running.add(child);
    child.stdout!.setEncoding("utf8").on("data", (s: string) => this.append(s));
    child.stderr!.setEncoding("utf8").on("data", (s: string) => this.append(s));
    this.exited = new Promise((resolveExit) => {
      child.once("exit", (code, signal) => {
        running.delete(child);
        this.append(`--- broker run ${run} exited: code ${code} signal ${signal} ---\n`);
        resolveExit();
      });
    });
    const deadline = Date.now() + this.startTimeoutMs;
    for (;;) {
      if (!this.running) {
        await this.exited;
        throw new Error(`broker exited during start\n${this.tail()}`);
      }
      if (await canConnect(this.port)) return;
      if (Date.now() > deadline) throw new Error(`broker did not accept connections on ${this.bootstrap} within ${this.startTimeoutMs} ms\n${this.tail()}`);
      await sleep(50);
    }
  }

  /** SIGTERM (a graceful two-phase stop); SIGKILL if it has not exited within the timeout. */
  async stop(timeoutMs = 20_000): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => {
      this.append(`--- broker did not exit ${timeoutMs} ms after SIGTERM: SIGKILL ---\n`);
      child.kill("SIGKILL");
    }, timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL: a crash, with no chance to flush or close anything. */
  async kill(): Promise<void> {
    if (this.child === undefined || !this.running) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }

  /** The process id of the current (or last) run: unchanged while the broker has not been restarted. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How many times start() has run a process. */
  get runs(): number {
    return this.generation;
  }

  /** The exit code of the last run, null while running or when it ended by a signal. */
  get exitCode(): number | null {
    return this.child?.exitCode ?? null;
  }

  /** Kills the process if it still runs and removes the data directory. */
  async destroy(): Promise<void> {
    await this.kill();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** The last part of the output, for error messages. */
  tail(chars = 20_000): string {
    const out = this.output.length > chars ? `…${this.output.slice(-chars)}` : this.output;
    return `broker output (${this.bootstrap}):\n${out}`;
  }

  private append(s: string): void {
    this.output += s;
    if (this.output.length > MAX_OUTPUT_CHARS) this.output = this.output.slice(-MAX_OUTPUT_CHARS);
  }
}

/** Fails with the command to run when the app has not been built. */
export function assertBrokerBuilt(): void {
  if (!existsSync(BROKER_MAIN)) {
    throw new Error(
      `${BROKER_MAIN} is missing: run pnpm build first (cd /work/main && pnpm --filter @kafscale/broker-app... build)`,
    );
  }
}


function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once("error", () => {
      socket.destroy();
      resolveConnect(false);
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
