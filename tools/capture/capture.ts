/**
 * Re-captures every fixture in packages/protocol/test/fixtures:
 *
 *   pnpm --filter @kafscale/capture capture            (builds the mocks first)
 *   tsx capture.ts [--only CLIENT[,CLIENT]] [--mock 2.0.2|2.12.0]
 *
 * For each mock cluster (librdkafka 2.0.2 from the system, librdkafka 2.12.0 built by
 * build-mock.sh) and each client, it starts a fresh mock, a capture proxy in front of it, runs
 * the client's scenario script (clients/*) against the proxy, and records every exchange.
 * Then it writes the fixtures (requests into the client's folder, the mock's original responses
 * into the mock's folder), index.json and each folder's README.md. `--only`/`--mock` limit what
 * runs; such partial runs write into tools/capture/out/fixtures, never into the real directory,
 * so that index.json always describes a complete capture.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type CapturedExchange, createCaptureProxy } from "./capture-proxy.js";
import { adminApiVersions } from "./src/admin-apis.js";
import { type FixtureEntry, type MockInfo, type SessionCapture, indexRows, selectFixtures, writeFixtureFiles } from "./src/fixtures.js";
import { loadApiSpecs } from "./src/kafka-spec.js";
import { renderClientReadme, renderMockReadme } from "./src/readmes.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");
const FIXTURES_DIR = join(repoRoot, "packages/protocol/test/fixtures");
const OUT_DIR = join(here, "out");

export interface MockCluster extends MockInfo {
  readonly binary: string;
  readonly description: string;
}

export const MOCKS: readonly MockCluster[] = [
  {
    version: "2.0.2",
    folder: "librdkafka-mock",
    binary: join(here, "mock-cluster"),
    description:
      "librdkafka 2.0.2's mock cluster (Debian 12 package librdkafka-dev 2.0.2), via tools/capture/mock-cluster.c linked with -lrdkafka",
  },
  {
    version: "2.12.0",
    folder: "librdkafka-mock-2.12",
    binary: join(here, "out/mock-cluster-2.12.0"),
    description:
      "librdkafka 2.12.0's mock cluster (sources from the npm tarball of node-rdkafka@3.6.1, deps/librdkafka, built statically by tools/capture/build-mock.sh), via tools/capture/mock-cluster.c",
  },
];

export interface ClientSpec {
  readonly name: string;
  readonly script: string;
  readonly command: readonly string[];
  readonly version: () => string;
}

const tsx = join(here, "node_modules/.bin/tsx");

function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

function python(code: string): string {
  return execFileSync("/usr/bin/python3", ["-c", code], { encoding: "utf8" }).trim();
}

export const CLIENTS: readonly ClientSpec[] = [
  {
    name: "kcat",
    script: "clients/kcat.sh",
    command: ["bash", join(here, "clients/kcat.sh")],
    version: () => {
      const v = execFileSync("kcat", ["-V"], { encoding: "utf8" });
      const m = /Version (\S+) .*librdkafka (\S+)/.exec(v);
      return m ? `kcat ${m[1]} (librdkafka ${m[2]}, Debian 12 package)` : v.trim();
    },
  },
  {
    name: "kafka-python",
    script: "clients/kafka-python.py",
    command: ["/usr/bin/python3", join(here, "clients/kafka-python.py")],
    version: () =>
      `kafka-python ${python("import kafka; print(kafka.__version__)")} (Debian 12 package python3-kafka; codecs from python3-snappy, python3-lz4, python3-zstandard)`,
  },
  {
    name: "confluent-kafka",
    script: "clients/confluent-kafka.py",
    command: ["/usr/bin/python3", join(here, "clients/confluent-kafka.py")],
    version: () =>
      `confluent-kafka ${python("import confluent_kafka as c; print(c.version()[0] + ' (librdkafka ' + c.libversion()[0] + ')')")} (Debian 12 package python3-confluent-kafka)`,
  },
  {
    name: "kafkajs",
    script: "clients/kafkajs.ts",
    command: [tsx, join(here, "clients/kafkajs.ts")],
    version: () => `kafkajs ${packageVersion("kafkajs")} (npm) on Node ${process.versions.node}`,
  },
  {
    name: "platformatic-kafka",
    script: "clients/platformatic-kafka.ts",
    command: [tsx, join(here, "clients/platformatic-kafka.ts")],
    version: () => `@platformatic/kafka ${packageVersion("@platformatic/kafka")} (npm) on Node ${process.versions.node}`,
  },
];

/** Topics created in every fresh mock (the mock implements no CreateTopics). */
export const TOPICS = ["capture:1", "capture-txn:1", "capture-multi:3"];

export interface SessionResult extends SessionCapture {
  readonly steps: readonly { name: string; ok: boolean; detail: string }[];
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly log: string;
}

const SESSION_TIMEOUT_MS = 180_000;

function startMock(mock: MockCluster): Promise<{ child: ChildProcess; bootstrap: string; stderr: () => string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(mock.binary, TOPICS, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /^BOOTSTRAP (\S+)$/m.exec(stdout);
      if (m) resolvePromise({ child, bootstrap: m[1]!.split(",")[0]!, stderr: () => stderr });
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`mock exited (${code}) before printing its address: ${stderr}`)));
  });
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolvePromise();
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.stdin?.end();
    if (child.pid !== undefined) process.kill(child.pid, "SIGTERM");
  });
}

async function runSession(mock: MockCluster, client: ClientSpec): Promise<SessionResult> {
  const { child: mockProcess, bootstrap, stderr: mockStderr } = await startMock(mock);
  const colon = bootstrap.lastIndexOf(":");
  const proxy = await createCaptureProxy({
    upstream: { host: bootstrap.slice(0, colon), port: Number(bootstrap.slice(colon + 1)) },
    extraApis: adminApiVersions(),
  });
  const address = `${proxy.address.host}:${proxy.address.port}`;
  process.stderr.write(`[${mock.version} ${client.name}] mock ${bootstrap}, proxy ${address}\n`);

  const [command, ...args] = client.command;
  const child = spawn(command!, args, {
    cwd: here,
    detached: true, // own process group, so a timeout can end the script and its children
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      BOOTSTRAP: address,
      TOPIC: "capture",
      TXN_TOPIC: "capture-txn",
      MULTI_TOPIC: "capture-multi",
      GROUP: `capture-group-${client.name}`,
    },
  });
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  }, SESSION_TIMEOUT_MS);
  const exitCode = await new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  clearTimeout(timer);

  await new Promise((r) => setTimeout(r, 200));
  await proxy.close();
  await stopChild(mockProcess, 5000);

  const steps = [...log.matchAll(/^STEP (\S+) (ok|failed)(?:: (.*))?$/gm)].map((m) => ({
    name: m[1]!,
    ok: m[2] === "ok",
    detail: m[3] ?? "",
  }));
  if (proxy.unmatchedResponses.length > 0) {
    log += `\n[capture] ${proxy.unmatchedResponses.length} responses matched no request\n`;
  }
  const fullLog = `${log}\n--- mock stderr ---\n${mockStderr()}`;
  mkdirSync(join(OUT_DIR, "logs"), { recursive: true });
  writeFileSync(join(OUT_DIR, "logs", `${mock.version}-${client.name}.log`), fullLog);
  const failed = steps.filter((s) => !s.ok).map((s) => s.name);
  process.stderr.write(
    `[${mock.version} ${client.name}] exit ${exitCode}${timedOut ? " (timed out)" : ""}, ` +
      `${proxy.exchanges.length} exchanges, steps ok ${steps.length - failed.length}/${steps.length}` +
      `${failed.length ? ` (failed: ${failed.join(", ")})` : ""}\n`,
  );
  return {
    client: client.name,
    mock,
    exchanges: proxy.exchanges as CapturedExchange[],
    steps,
    exitCode,
    timedOut,
    log: fullLog,
  };
}

async function main(argv: string[]): Promise<void> {
  let only: Set<string> | undefined;
  let onlyMock: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--only") only = new Set((argv[++i] ?? "").split(","));
    else if (argv[i] === "--mock") onlyMock = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const partial = only !== undefined || onlyMock !== undefined;
  const fixturesDir = partial ? join(OUT_DIR, "fixtures") : FIXTURES_DIR;
  const mocks = MOCKS.filter((m) => !onlyMock || m.version === onlyMock);
  const clients = CLIENTS.filter((c) => !only || only.has(c.name));
  for (const mock of mocks) {
    if (!existsSync(mock.binary)) throw new Error(`${mock.binary} missing: run build-mock.sh first`);
  }

  const sessions: SessionResult[] = [];
  for (const mock of mocks) {
    for (const client of clients) sessions.push(await runSession(mock, client));
  }

  const apis = loadApiSpecs();
  const entries = selectFixtures(sessions, apis, { capPerKey: 8 });
  const folders = [...clients.map((c) => c.name), ...mocks.map((m) => m.folder)];
  writeFixtureFiles(fixturesDir, folders, entries);

  const capturedAt = new Date().toISOString().slice(0, 10);
  const versions = new Map(clients.map((c) => [c.name, c.version()]));
  writeFileSync(
    join(fixturesDir, "index.json"),
    JSON.stringify(
      {
        about:
          "Kafka frames captured from real clients and librdkafka's mock cluster; see README.md. Generated by tools/capture/capture.ts.",
        capturedAt,
        clients: Object.fromEntries(versions),
        mocks: Object.fromEntries(mocks.map((m) => [m.folder, m.description])),
        fixtures: indexRows(entries),
      },
      null,
      1,
    ) + "\n",
  );
  for (const client of clients) {
    const ctx = { client, version: versions.get(client.name)!, capturedAt, mocks, sessions, entries, apis };
    writeFileSync(join(fixturesDir, client.name, "README.md"), renderClientReadme(ctx));
  }
  for (const mock of mocks) {
    const ctx = { mock, capturedAt, sessions, entries, apis, versions };
    writeFileSync(join(fixturesDir, mock.folder, "README.md"), renderMockReadme(ctx));
  }
  const total = entries.reduce((n, e) => n + e.size * 2 + 1, 0);
  const perFolder = new Map<string, number>();
  for (const e of entries) perFolder.set(e.folder, (perFolder.get(e.folder) ?? 0) + 1);
  process.stderr.write(
    `wrote ${entries.length} fixtures (${(total / 1024).toFixed(0)} KiB of hex) to ${fixturesDir}: ` +
      `${[...perFolder].map(([f, n]) => `${f} ${n}`).join(", ")}\n`,
  );
}

export type { FixtureEntry };

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
