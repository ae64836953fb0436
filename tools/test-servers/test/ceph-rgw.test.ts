import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedS3Request } from "../src/ceph-s3-request.js";
import { CEPH_APT_INSTALL, startCephRgw, startS3FaultProxy, type CephRgw } from "../src/index.js";

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("startCephRgw()", () => {
  let rgw: CephRgw;

  beforeAll(async () => {
    const started = Date.now();
    rgw = await startCephRgw({ memstoreBytes: 512 * 1024 * 1024 });
    console.log(`Ceph RGW started in ${Date.now() - started} ms at ${rgw.endpoint}`);
  });
  afterAll(async () => {
    await rgw?.stop();
  });

  it("serves S3 on loopback to a user with the returned keys: bucket, put, get", async () => {
    expect(rgw.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(rgw.region).toBe("us-east-1");
    await rgw.createBucket("harness-bucket");
    const body = Buffer.from("stored in ceph");
    const put = await signedS3Request({ ...rgw, method: "PUT", path: "/harness-bucket/dir/object", body });
    expect(put.status).toBe(200);
    const get = await signedS3Request({ ...rgw, method: "GET", path: "/harness-bucket/dir/object" });
    expect(get).toEqual({ status: 200, body: "stored in ceph" });
    const wrongKey = await signedS3Request({ ...rgw, secretAccessKey: "wrong", method: "GET", path: "/harness-bucket/dir/object" });
    expect(wrongKey.status).toBe(403);
  });

  it("createBucket() fails with the gateway's error for a name S3 refuses", async () => {
    await expect(rgw.createBucket("xy")).rejects.toThrow(/HTTP 400.*InvalidBucketName/);
  });

  it("signed requests reach it unchanged through the fault proxy", async () => {
    await rgw.createBucket("proxied-bucket");
    const proxy = await startS3FaultProxy({ target: rgw.endpoint });
    try {
      const viaProxy = { ...rgw, endpoint: proxy.endpoint };
      const body = Buffer.alloc(256 * 1024, 3);
      expect((await signedS3Request({ ...viaProxy, method: "PUT", path: "/proxied-bucket/k", body })).status).toBe(200);
      proxy.setFaults({ rules: [{ fault: "slowDown", next: 1 }] });
      const refused = await signedS3Request({ ...viaProxy, method: "GET", path: "/proxied-bucket/k" });
      expect(refused.status).toBe(503);
      const got = await signedS3Request({ ...viaProxy, method: "GET", path: "/proxied-bucket/k" });
      expect(got.status).toBe(200);
      expect(got.body.length).toBe(body.length);
      expect(proxy.counts()).toMatchObject({ requests: 3, forwarded: 2, slowDown: 1 });
    } finally {
      await proxy.close();
    }
  });

  it("stop() kills ceph-mon, ceph-osd and radosgw and removes the directory", async () => {
    const other = await startCephRgw({ memstoreBytes: 256 * 1024 * 1024 });
    expect(other.pids).toHaveLength(3);
    expect(other.pids.every(isAlive)).toBe(true);
    await other.stop();
    expect(other.pids.filter(isAlive)).toEqual([]);
    expect(existsSync(other.dataDir)).toBe(false);
    await other.stop();
  });
});

describe("startCephRgw() without the Ceph binaries", () => {
  it("fails with an Error naming the apt packages to install", async () => {
    const empty = await mkdtemp(join(tmpdir(), "kafscale-no-ceph-"));
    try {
      const err = await startCephRgw({ searchPath: empty }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain(CEPH_APT_INSTALL);
      expect((err as Error).message).toContain("radosgw");
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe("startCephRgw() when a daemon dies during startup", () => {
  it("fails fast with the daemon's output and log tails, leaving no process behind", async () => {
    const bin = await mkdtemp(join(tmpdir(), "kafscale-broken-ceph-"));
    try {
      for (const name of ["ceph-authtool", "monmaptool", "ceph-mon", "ceph-osd", "ceph", "radosgw-admin"]) await symlink(`/usr/bin/${name}`, join(bin, name));
      await writeFile(join(bin, "radosgw"), "#!/bin/sh\necho 'radosgw: simulated crash' >&2\nexit 3\n");
      await chmod(join(bin, "radosgw"), 0o755);
      const started = Date.now();
      const err = (await startCephRgw({ searchPath: bin }).catch((e: unknown) => e)) as Error;
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(err.message).toMatch(/radosgw exited while waiting for radosgw to answer HTTP/);
      expect(err.message).toContain("radosgw: simulated crash");
      expect(err.message).toContain("--- mon.a.log (tail) ---");
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });
});
