import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEtcd, type EtcdServer } from "../src/index.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** One call of etcd's JSON gateway (`/v3/...`), failing after `timeoutMs`. */
async function gateway(server: EtcdServer, path: string, body: object, timeoutMs = 3_000): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.endpoint}/v3/${path}`, { method: "POST", body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`etcd answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

async function read(server: EtcdServer, key: string): Promise<string | undefined> {
  const kvs = (await gateway(server, "kv/range", { key: b64(key) })).kvs as Array<{ value: string }> | undefined;
  return kvs === undefined ? undefined : Buffer.from(kvs[0]!.value, "base64").toString();
}

describe("startEtcd()", () => {
  let etcd: EtcdServer;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd.stop();
  });

  it("serves on a loopback endpoint with a fresh data directory", async () => {
    expect(etcd.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await read(etcd, "/a")).toBeUndefined();
    await gateway(etcd, "kv/put", { key: b64("/a"), value: b64("1") });
    expect(await read(etcd, "/a")).toBe("1");
  });

  it("runs two servers side by side", async () => {
    const other = await startEtcd();
    try {
      expect(other.endpoint).not.toBe(etcd.endpoint);
      expect(await read(other, "/a")).toBeUndefined();
    } finally {
      await other.stop();
    }
  });

  it("freezes on pause() and answers again after resume(), with its data", async () => {
    await gateway(etcd, "kv/put", { key: b64("/frozen"), value: b64("before") });
    await etcd.pause();
    await expect(read(etcd, "/frozen").then(() => "answered", () => "timed out")).resolves.toBe("timed out");
    await etcd.resume();
    expect(await read(etcd, "/frozen")).toBe("before");
  });

  it("refuses connections after pause('kill') and restarts on the same port and data", async () => {
    await gateway(etcd, "kv/put", { key: b64("/killed"), value: b64("kept") });
    await etcd.pause("kill");
    const refused = await fetch(`${etcd.endpoint}/health`).then(() => false, () => true);
    expect(refused).toBe(true);
    await etcd.resume();
    expect(await read(etcd, "/killed")).toBe("kept");
  });

  it("deletes the data directory on stop() and then refuses connections", async () => {
    const server = await startEtcd();
    expect(existsSync(server.dataDir)).toBe(true);
    await server.stop();
    expect(existsSync(server.dataDir)).toBe(false);
    expect(await fetch(`${server.endpoint}/health`).then(() => "up", () => "down")).toBe("down");
    await server.stop();
  });

  it("passes extra flags to etcd", async () => {
    const server = await startEtcd({ extraArgs: ["--max-txn-ops=2"] });
    try {
      const put = (k: string) => ({ request_put: { key: b64(k), value: b64("v") } });
      await gateway(server, "kv/txn", { success: [put("/1"), put("/2")] });
      await expect(gateway(server, "kv/txn", { success: [put("/1"), put("/2"), put("/3")] })).rejects.toThrow(/etcd answered/);
    } finally {
      await server.stop();
    }
  });

  it("throws a clear error when the etcd binary is missing", async () => {
    await expect(startEtcd({ binary: "/nonexistent/etcd" })).rejects.toThrow("etcd not installed (no /nonexistent/etcd): apt-get install -y etcd-server");
  });
});
