import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Debian's interpreter: the pyenv python3 on PATH cannot see apt's python3-kafka modules. */
export const PYTHON = "/usr/bin/python3";
export const SCRIPTS_DIR = resolve(fileURLToPath(new URL(".", import.meta.url)), "../scripts");

/** Every child the suite starts, so afterAll can kill the ones a failed test left behind. */
const children = new Set<ChildProcess>();

/** SIGKILLs every client process still running (call from afterAll). */
export function killClientProcesses(): void {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
}

export interface RunOptions {
  input?: string | Buffer;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Non-zero exit is returned instead of thrown. */
  allowFailure?: boolean;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; throws with its whole output when it fails or times out. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const description = `${command} ${args.map((a) => (/^[\w@%.:=,/+-]+$/.test(a) ? a : JSON.stringify(a))).join(" ")}`;
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
    children.add(child);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      children.delete(child);
      reject(new Error(`${description}: ${err.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      const result = { code, signal, stdout, stderr };
      if (timedOut) reject(new Error(`${description}: timed out after ${timeoutMs} ms\n${outputOf(result)}`));
      else if (code !== 0 && !options.allowFailure) reject(new Error(`${description}: exit code ${code} signal ${signal}\n${outputOf(result)}`));
      else resolveRun(result);
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

function outputOf(r: RunResult): string {
  const cut = (s: string) => (s.length > 20_000 ? `…${s.slice(-20_000)}` : s);
  return `--- stdout ---\n${cut(r.stdout)}\n--- stderr ---\n${cut(r.stderr)}`;
}

/**
 * Runs e2e/scripts/<script> with Debian's python3, the JSON config on its stdin (message lists
 * outgrow an argument), and returns the JSON document it prints as its last stdout line.
 */
export async function runPython<T>(script: string, config: unknown, timeoutMs = 60_000): Promise<T> {
  const result = await run(PYTHON, [resolve(SCRIPTS_DIR, script)], { timeoutMs, input: JSON.stringify(config) });
  const last = result.stdout.trimEnd().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${script} printed no JSON result\n${outputOf(result)}`);
  }
}

/**
 * A long-running client process that prints one JSON event per line and reads one JSON command
 * per line (the python group members).
 */
export class LineProcess<E extends { event: string }> {
  readonly events: E[] = [];
  private readonly child: ChildProcess;
  private stderr = "";
  private waiters: (() => void)[] = [];
  private readonly closed: Promise<number | null>;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
  ) {
    this.child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    children.add(this.child);
    this.child.stderr!.setEncoding("utf8").on("data", (s: string) => (this.stderr += s));
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      let event: E;
      try {
        event = JSON.parse(line) as E;
      } catch {
        event = { event: "output", line } as unknown as E;
      }
      this.events.push(event);
      this.wake();
    });
    this.closed = new Promise((r) =>
      this.child.once("close", (code) => {
        children.delete(this.child);
        this.wake();
        r(code);
      }),
    );
    this.child.stdin!.on("error", () => {});
  }

  /**
   * e2e/scripts/<script> with Debian's python3. The config is argv[1], or, with configOnStdin
   * (large configs: an argument is limited to 128 KiB), the whole of stdin.
   */
  static python<E extends { event: string }>(name: string, script: string, config: unknown, options: { configOnStdin?: boolean } = {}): LineProcess<E> {
    if (!options.configOnStdin) return new LineProcess<E>(name, PYTHON, [resolve(SCRIPTS_DIR, script), JSON.stringify(config)]);
    const proc = new LineProcess<E>(name, PYTHON, [resolve(SCRIPTS_DIR, script)]);
    proc.child.stdin!.end(JSON.stringify(config));
    return proc;
  }

  /** Waits for the process to exit and returns its exit code. */
  exit(): Promise<number | null> {
    return this.closed;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  send(command: unknown): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** Waits until predicate(events) holds; fails with the process's output on timeout or exit. */
  async waitFor(what: string, predicate: (events: readonly E[]) => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (this.exited) throw new Error(`${this.name} exited while waiting for ${what}\n${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
  }

  /** Sends {"cmd":"stop"} and waits for a clean exit. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.exited) return;
    this.send({ cmd: "stop" });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const code = await this.closed;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`${this.name} exited with code ${code}\n${this.describe()}`);
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }

  describe(): string {
    const events = this.events.map((e) => JSON.stringify(e)).join("\n");
    return `--- ${this.name} events ---\n${events.slice(-20_000)}\n--- ${this.name} stderr ---\n${this.stderr.slice(-20_000)}`;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
