import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { startCephRgw, startEtcd, type CephRgw, type EtcdServer } from "@kafscale/test-servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MAIN = new URL("../dist/main.cjs", import.meta.url).pathname;

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
  ms: number;
}

/** Runs the built broker with `env` until it exits (or 30 s pass). */
function runBroker(env: Record<string, string>): Promise<Exit> {
  const started = Date.now();
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, KAFSCALE_PORT: "0", KAFSCALE_LISTEN_HOST: "127.0.0.1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout, ms: Date.now() - started });
    }),
  );
}

/**
 * The broker on S3 and etcd refuses to start, with one clear line on stderr and exit code 1, when
 * it cannot use its stores — and never prints a secret while saying so.
 */
describe("start-up checks on S3 and etcd", () => {
  let rgw: CephRgw;
  let etcd: EtcdServer;

  beforeAll(async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run pnpm build first`).toBe(true);
    [rgw, etcd] = await Promise.all([startCephRgw(), startEtcd()]);
    await rgw.createBucket("startup-ok");
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled([rgw?.stop(), etcd?.stop()]);
  });

  const s3 = (bucket: string, secret?: string) => ({
    KAFSCALE_S3_BUCKET: bucket,
    KAFSCALE_S3_ENDPOINT: rgw.endpoint,
    KAFSCALE_S3_PATH_STYLE: "true",
    KAFSCALE_S3_ACCESS_KEY_ID: rgw.accessKeyId,
    KAFSCALE_S3_SECRET_ACCESS_KEY: secret ?? rgw.secretAccessKey,
    KAFSCALE_S3_OPERATION_TIMEOUT_MS: "3000",
  });

  it("exits 1 naming the segment store when the bucket does not exist", async () => {
    const exit = await runBroker({ ...s3("no-such-bucket"), KAFSCALE_ETCD_ENDPOINTS: etcd.endpoint });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/^kafscale-broker: cannot write to the segment store \(s3:\/\/no-such-bucket\): /m);
  });

  it("exits 1 naming the segment store when the credentials are wrong, without printing them", async () => {
    const exit = await runBroker({ ...s3("startup-ok", "wrong-secret-value-123"), KAFSCALE_ETCD_ENDPOINTS: etcd.endpoint });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/cannot write to the segment store \(s3:\/\/startup-ok\)/);
    expect(exit.stderr + exit.stdout).not.toContain("wrong-secret-value-123");
  });

  it("exits 1 naming the metadata store when etcd cannot be reached", async () => {
    const exit = await runBroker({ ...s3("startup-ok"), KAFSCALE_ETCD_ENDPOINTS: "http://127.0.0.1:1", KAFSCALE_ETCD_REQUEST_TIMEOUT_MS: "1000" });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/^kafscale-broker: cannot open the metadata store \(etcd:\/\/127\.0\.0\.1:1\): /m);
  });

  it("starts, registers under /kafscale/brokers/ and stops cleanly when both stores work", async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, ...s3("startup-ok"), KAFSCALE_ETCD_ENDPOINTS: etcd.endpoint, KAFSCALE_PORT: "0", KAFSCALE_LISTEN_HOST: "127.0.0.1", KAFSCALE_BROKER_ID: "7" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 20_000;
    while (!out.includes('"broker started"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('"broker started"');
    const registered = await fetch(`${etcd.endpoint}/v3/kv/range`, {
      method: "POST",
      body: JSON.stringify({ key: Buffer.from("/kafscale/brokers/7").toString("base64") }),
    }).then((r) => r.json() as Promise<{ count?: string }>);
    expect(registered.count).toBe("1");
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).not.toContain(rgw.secretAccessKey);
  });
});
