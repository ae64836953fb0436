/**
 * The broker under test: `node apps/broker/dist/main.cjs` as a child process on a free port with a
 * fresh data directory, plus what the benchmark reads about it from /proc (RSS every 100 ms, the
 * kernel's peak RSS, CPU time).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { join } from "node:path";

export interface BrokerOptions {
  /** apps/broker/dist/main.cjs */
  mainJs: string;
  dataDir: string;
  /** Where the broker's stdout/stderr go. */
  logFile: string;
  /** KAFSCALE_* (and any other) variables added to the environment. */
  env: Record<string, string>;
  /** Extra `node` flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux this runs on). */
const CLK_TCK = 100;

export class BrokerProcess {
  readonly port: number;
  readonly child: ChildProcess;
  readonly pid: number;
  #exit: Promise<number | null>;
  #sampler: NodeJS.Timeout | null = null;
  /** Largest VmRSS seen by the sampler, bytes. */
  maxRssBytes = 0;
  samples = 0;
  /** Largest VmRSS per phase label, bytes. */
  readonly phaseMaxRss = new Map<string, number>();
  #phase = "start";

  private constructor(port: number, child: ChildProcess) {
    this.port = port;
    this.child = child;
    this.pid = child.pid!;
    this.#exit = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  static async start(options: BrokerOptions): Promise<BrokerProcess> {
    if (!existsSync(options.mainJs)) {
      throw new Error(`${options.mainJs} does not exist: build the broker first (pnpm --filter @kafscale/broker-app... build)`);
    }
    const port = await freePort();
    const log = createWriteStream(options.logFile);
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.mainJs], {
      env: {
        ...process.env,
        KAFSCALE_PORT: String(port),
        KAFSCALE_LISTEN_HOST: "127.0.0.1",
        KAFSCALE_ADVERTISED_HOST: "127.0.0.1",
        KAFSCALE_DATA_DIR: options.dataDir,
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const broker = new BrokerProcess(port, child);
    broker.#startSampler();
    await broker.#waitListening(30_000);
    return broker;
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Labels the samples taken from now on (for the per-phase maximum RSS). */
  set phase(label: string) {
    this.#phase = label;
  }

  /** utime + stime of the broker so far, seconds (all its threads: main, GC, libuv pool). */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  }

  /** The kernel's peak RSS of the process (VmHWM), bytes: catches peaks between samples. */
  peakRssBytes(): number {
    return statusField(this.pid, "VmHWM");
  }

  /** SIGTERM, then waits for the exit (the broker flushes and, with --cpu-prof, writes its profile). */
  async stop(timeoutMs = 60_000): Promise<number | null> {
    this.#stopSampler();
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    try {
      return await this.#exit;
    } finally {
      clearTimeout(timer);
    }
  }

  #startSampler(): void {
    const sample = () => {
      try {
        const rss = statusField(this.pid, "VmRSS");
        this.samples++;
        if (rss > this.maxRssBytes) this.maxRssBytes = rss;
        if (rss > (this.phaseMaxRss.get(this.#phase) ?? 0)) this.phaseMaxRss.set(this.#phase, rss);
      } catch {
        // The process is gone.
      }
    };
    sample();
    this.#sampler = setInterval(sample, 100);
  }

  #stopSampler(): void {
    if (this.#sampler !== null) clearInterval(this.#sampler);
    this.#sampler = null;
  }

  async #waitListening(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`the broker exited with code ${this.child.exitCode} before listening`);
      if (await canConnect(this.port)) return;
      if (Date.now() > deadline) throw new Error(`the broker did not listen on ${this.port} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function statusField(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  if (m === null) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/** A TCP port nothing listens on right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The newest `.cpuprofile` in `dir`, if any. */
export function profilePath(dir: string, files: string[]): string | undefined {
  const profiles = files.filter((f) => f.endsWith(".cpuprofile")).sort();
  const last = profiles.at(-1);
  return last === undefined ? undefined : join(dir, last);
}
