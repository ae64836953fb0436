import { inspect } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { isMetadataError } from "../../errors.js";
import type { WatchEvent } from "../kv-store.js";
import { etcdctl, openEtcdStore, TEST_TIMEOUT_MS, useEtcd } from "./etcd-test-support.js";

const etcd = useEtcd();
const ROOT_PASSWORD = "r00t-S3cret-pass";
const APP_PASSWORD = "app-Secr3t-pass";
const bytes = (s: string) => new TextEncoder().encode(s);
/** Everything a log line or error could show, causes and nested objects included. */
const shown = (x: unknown) => inspect(x, { depth: Infinity, showHidden: false });

async function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("etcd store with authentication", { timeout: TEST_TIMEOUT_MS }, () => {
  beforeAll(async () => {
    // root for etcd itself, and an application user who may use only keys under /app/.
    await etcdctl(etcd(), "user", "add", "root", `--new-user-password=${ROOT_PASSWORD}`, "--interactive=false");
    await etcdctl(etcd(), "user", "add", "app", `--new-user-password=${APP_PASSWORD}`, "--interactive=false");
    await etcdctl(etcd(), "role", "add", "app-role");
    await etcdctl(etcd(), "role", "grant-permission", "app-role", "--prefix=true", "readwrite", "/app/");
    await etcdctl(etcd(), "user", "grant-role", "app", "app-role");
    await etcdctl(etcd(), "auth", "enable");
  }, TEST_TIMEOUT_MS);

  it("works with a username and password, and never shows the password in a log line or error", async () => {
    const logged: unknown[] = [];
    const logger = { warn: (obj: object, msg: string) => logged.push({ obj, msg }) };
    const store = await openEtcdStore(etcd(), "/app", { username: "app", password: APP_PASSWORD, requestTimeoutMs: 1_500, logger });
    const events: WatchEvent[] = [];
    const stop = await store.watch("/w/", (e) => {
      events.push(e);
      throw new Error("listener bug"); // logged
    });
    await store.put("/w/1", bytes("1"));
    await waitUntil(() => events.length === 1);
    await etcd().pause("kill"); // the watch stream is lost (logged) and calls fail (errors)
    const errors = await Promise.all([store.get("/w/1"), store.put("/w/x", bytes("x"))].map((p) => p.catch((e: unknown) => e)));
    await etcd().resume();
    await store.put("/w/2", bytes("2")); // authenticates again with the restarted etcd
    await waitUntil(() => events.length === 2);
    expect(errors.every((e) => isMetadataError(e, "UNAVAILABLE"))).toBe(true);
    expect(logged.map((l) => (l as { msg: string }).msg)).toEqual(expect.arrayContaining(["a watch listener threw; delivery goes on", expect.stringContaining("watch stream lost")]));
    for (const x of [...logged, ...errors]) expect(shown(x)).not.toContain(APP_PASSWORD);
    await stop();
    await store.close();
  });

  it("refuses a wrong password with PERMISSION_DENIED at open, without showing it", async () => {
    const err = await openEtcdStore(etcd(), "/app", { username: "app", password: "wrong-Passw0rd" }).catch((e: unknown) => e);
    expect(isMetadataError(err, "PERMISSION_DENIED"), String(err)).toBe(true);
    expect(shown(err)).not.toContain("wrong-Passw0rd");
  });

  it("refuses a client without credentials with PERMISSION_DENIED", async () => {
    const err = await openEtcdStore(etcd(), "/app").catch((e: unknown) => e);
    expect(isMetadataError(err, "PERMISSION_DENIED"), String(err)).toBe(true);
  });

  it("refuses keys outside the user's permissions with PERMISSION_DENIED", async () => {
    const store = await openEtcdStore(etcd(), "/other", { username: "app", password: APP_PASSWORD });
    try {
      const err = await store.put("/k", bytes("1")).catch((e: unknown) => e);
      expect(isMetadataError(err, "PERMISSION_DENIED"), String(err)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
