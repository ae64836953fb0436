import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Options of {@link startEtcd}. */
export interface StartEtcdOptions {
  /** The etcd binary (default `/usr/bin/etcd`, Debian's etcd-server). */
  readonly binary?: string;
  /** More command-line flags, e.g. `["--max-txn-ops", "1024"]` (default: none; etcd's defaults hold). */
  readonly extraArgs?: readonly string[];
  /** How long to wait for etcd to report healthy, at start and at resume (default 30 s). */
  readonly startTimeoutMs?: number;
}

/** A running single-node etcd on 127.0.0.1, started by {@link startEtcd}. */
export interface EtcdServer {
  /** `http://127.0.0.1:PORT`: the client endpoint (gRPC and the JSON gateway). */
  readonly endpoint: string;
  /** The data directory (deleted by `stop()`). */
  readonly dataDir: string;
  /** Stops etcd (SIGTERM, SIGKILL after 5 s) and deletes its data directory. Harmless when called again. */
  stop(): Promise<void>;
  /**
   * Makes etcd unavailable, keeping its data: `"freeze"` (default) SIGSTOPs it, so connections stay
   * open and nothing is answered; `"kill"` SIGKILLs it, so connections are refused.
   */
  pause(mode?: "freeze" | "kill"): Promise<void>;
  /** Undoes `pause()`: continues the process, or starts etcd again on the same port and data, and waits until healthy. */
  resume(): Promise<void>;
}

const DEFAULT_BINARY = "/usr/bin/etcd";
const running = new Set<ChildProcess>();
const dataDirs = new Set<string>();

/**
 * Starts a fresh single-node etcd on free loopback ports with a new temporary data directory and
 * waits until `/health` says so. Throws when the binary is missing (never skips): install it with
 * `apt-get install -y etcd-server`. The process is killed when this process exits.
 */
export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdServer> {
  const binary = options.binary ?? DEFAULT_BINARY;
  if (!existsSync(binary)) throw new Error(`etcd not installed (no ${binary}): apt-get install -y etcd-server`);
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const dataDir = await mkdtemp(join(tmpdir(), "kafscale-etcd-"));
  dataDirs.add(dataDir);
  for (let attempt = 1; ; attempt++) {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const args = etcdArgs(dataDir, clientPort, peerPort, options.extraArgs ?? []);
    const endpoint = `http://127.0.0.1:${clientPort}`;
    try {
      let proc = await launch(binary, args, endpoint, timeoutMs);
      let frozen = false;
      let stopped = false;
      return {
        endpoint,
        dataDir,
        async stop() {
          if (stopped) return;
          stopped = true;
          if (frozen) proc.child.kill("SIGCONT");
          await proc.terminate();
          await rm(dataDir, { recursive: true, force: true });
          dataDirs.delete(dataDir);
        },
        async pause(mode = "freeze") {
          if (mode === "kill") {
            frozen = false; // SIGKILL ends a stopped process too
            return proc.terminate("SIGKILL");
          }
          proc.child.kill("SIGSTOP");
          frozen = true;
        },
        async resume() {
          if (frozen) {
            proc.child.kill("SIGCONT");
            frozen = false;
            await waitHealthy(endpoint, proc, timeoutMs);
          } else if (proc.exited) {
            proc = await launch(binary, args, endpoint, timeoutMs);
          }
        },
      };
    } catch (err) {
      await rm(join(dataDir, "member"), { recursive: true, force: true });
      if (attempt >= 3) throw err; // a port taken between freePort() and etcd's bind: try others
    }
  }
}

function etcdArgs(dataDir: string, clientPort: number, peerPort: number, extra: readonly string[]): string[] {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return [
    "--name=test", `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=test=${peer}`, "--initial-cluster-state=new",
    "--logger=zap", "--log-outputs=stderr", "--log-level=warn",
    ...extra,
  ];
}

interface EtcdProcess {
  readonly child: ChildProcess;
  readonly exited: boolean;
  output(): string;
  /** Sends `signal` (default SIGTERM; SIGKILL after 5 s) and waits for the exit. */
  terminate(signal?: NodeJS.Signals): Promise<void>;
}

async function launch(binary: string, args: string[], endpoint: string, timeoutMs: number): Promise<EtcdProcess> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ETCD")));
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"], env });
  running.add(child);
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => (tail = (tail + chunk.toString("utf8")).slice(-8192)));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("close", () => resolve()));
  child.once("error", (err) => (tail += `\n${String(err)}`));
  void exit.then(() => {
    exited = true;
    running.delete(child);
  });
  const proc: EtcdProcess = {
    child,
    get exited() {
      return exited;
    },
    output: () => tail,
    async terminate(signal = "SIGTERM") {
      if (exited) return;
      child.kill(signal);
      const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exit;
      clearTimeout(force);
    },
  };
  try {
    await waitHealthy(endpoint, proc, timeoutMs);
  } catch (err) {
    await proc.terminate("SIGKILL");
    throw err;
  }
  return proc;
}

async function waitHealthy(endpoint: string, proc: EtcdProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exited) throw new Error(`etcd exited during startup:\n${proc.output()}`);
    const healthy = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) })
      .then(async (r) => r.ok && ((await r.json()) as { health?: string }).health === "true")
      .catch(() => false);
    if (healthy) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`etcd at ${endpoint} not healthy within ${timeoutMs} ms:\n${proc.output()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});
