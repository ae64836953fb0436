import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findCephBinaries } from "./ceph-binaries.js";
import { cephConf } from "./ceph-conf.js";
import { signedS3Request } from "./ceph-s3-request.js";
import { startupError, waitFor, type CephStartup } from "./ceph-startup.js";
import { freePort } from "./free-port.js";
import { startDaemon } from "./process-daemon.js";
import { runCommand } from "./process-run.js";

/** Options of {@link startCephRgw}. */
export interface CephRgwOptions {
  /** RAM the memstore OSD may fill with objects (default 1 GiB). */
  memstoreBytes?: number;
  /** Give up starting after this long (default 90 s); the error carries the daemons' log tails. */
  startupTimeoutMs?: number;
  /** PATH-style list of directories holding the Ceph binaries (default `process.env.PATH`). */
  searchPath?: string;
}

/** A running single-node Ceph cluster with its S3 gateway; see {@link startCephRgw}. */
export interface CephRgw {
  /** `http://127.0.0.1:PORT`; use path-style addressing. */
  readonly endpoint: string;
  readonly region: "us-east-1";
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The temp directory holding ceph.conf, the monitor's store, logs and sockets. */
  readonly dataDir: string;
  /** Process ids of ceph-mon, ceph-osd and radosgw. */
  readonly pids: readonly number[];
  /** Creates a bucket owned by the S3 user (names: 3–63 lowercase letters, digits, `-`). */
  createBucket(name: string): Promise<void>;
  /** Kills the three daemons and removes the directory. Idempotent. */
  stop(): Promise<void>;
}

const RGW_NAME = "kafscale";

/**
 * Starts a throwaway Ceph cluster (one monitor, one memstore OSD: objects in
 * RAM) and its RADOS Gateway on free loopback ports, and creates an S3 user
 * with the returned keys. Takes about 1.5 s on an idle machine. Missing
 * binaries are an Error naming the apt packages. The daemons are killed by
 * `stop()`, and also when this process exits.
 */
export async function startCephRgw(options: CephRgwOptions = {}): Promise<CephRgw> {
  const bin = findCephBinaries(options.searchPath);
  const timeoutMs = options.startupTimeoutMs ?? 90_000;
  const dir = await mkdtemp(join(tmpdir(), "kafscale-ceph-"));
  const s: CephStartup = { dir, deadline: Date.now() + timeoutMs, timeoutMs, daemons: [] };
  const conf = join(dir, "ceph.conf");
  const run = (cmd: string, args: string[]): Promise<string> => runCommand(cmd, ["-c", conf, ...args], { cwd: dir, timeoutMs: 30_000 });
  const fsid = randomUUID();
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${rgwPort}`;
  const accessKeyId = `KAFSCALE${randomBytes(6).toString("hex").toUpperCase()}`;
  const secretAccessKey = randomBytes(20).toString("base64url");
  const s3 = { endpoint, region: "us-east-1", accessKeyId, secretAccessKey } as const;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      for (const d of [...s.daemons].reverse()) await d.kill();
      await rm(dir, { recursive: true, force: true });
    })());

  try {
    for (const sub of ["run", "log", "mon", "osd/osd.0", "rgw"]) await mkdir(join(dir, sub), { recursive: true });
    await writeFile(conf, cephConf({ dir, fsid, monPort, rgwPort, rgwName: RGW_NAME, memstoreBytes: options.memstoreBytes ?? 1 << 30 }));
    const keyring = join(dir, "keyring");
    const monmap = join(dir, "monmap");
    await runCommand(bin["ceph-authtool"], ["--create-keyring", keyring, "--gen-key", "-n", "mon.", "--cap", "mon", "allow *"]);
    await runCommand(bin.monmaptool, ["--create", "--addv", "a", `[v2:127.0.0.1:${monPort}]`, "--fsid", fsid, monmap]);
    await run(bin["ceph-mon"], ["--mkfs", "-i", "a", "--monmap", monmap, "--keyring", keyring]);
    s.daemons.push(startDaemon("ceph-mon", bin["ceph-mon"], ["-c", conf, "-i", "a", "-f"], { cwd: dir, removeDirOnExit: dir }));
    await waitFor(s, "the monitor", async () => (await run(bin.ceph, ["--connect-timeout", "5", "health"]), true));

    const osdId = (await run(bin.ceph, ["--connect-timeout", "10", "osd", "create"])).trim();
    if (osdId !== "0") throw new Error(`ceph osd create returned ${JSON.stringify(osdId)}, expected 0`);
    await run(bin["ceph-osd"], ["-i", "0", "--mkfs"]);
    s.daemons.push(startDaemon("ceph-osd", bin["ceph-osd"], ["-c", conf, "-i", "0", "-f"], { cwd: dir }));
    await waitFor(s, "the OSD to be up", async () => {
      const stat = JSON.parse(await run(bin.ceph, ["--connect-timeout", "5", "osd", "stat", "-f", "json"])) as { num_up_osds?: number };
      return (stat.num_up_osds ?? 0) >= 1;
    });

    s.daemons.push(startDaemon("radosgw", bin.radosgw, ["-c", conf, "-n", `client.rgw.${RGW_NAME}`, "-f"], { cwd: dir }));
    await waitFor(s, `radosgw to answer HTTP on ${endpoint}`, async () => (await httpStatus(endpoint)) === 200);
    await waitFor(s, "the S3 user", async () => {
      await run(bin["radosgw-admin"], ["user", "create", "--uid", "kafscale-test", "--display-name", "kafscale test", "--access-key", accessKeyId, "--secret-key", secretAccessKey]).catch(
        (err: Error) => {
          if (!err.message.includes("exists")) throw err;
        },
      );
      return (await signedS3Request({ ...s3, method: "GET", path: "/" })).status === 200;
    });
  } catch (err) {
    const error = await startupError(s, err);
    await stop();
    throw error;
  }

  return {
    ...s3,
    dataDir: dir,
    pids: s.daemons.map((d) => d.pid),
    async createBucket(name) {
      const { status, body } = await signedS3Request({ ...s3, method: "PUT", path: `/${name}` });
      if (status !== 200) throw new Error(`creating bucket ${JSON.stringify(name)} failed: HTTP ${status} ${body}`);
    },
    stop,
  };
}

/** The HTTP status of a plain GET, or 0 when nothing answers. */
function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
    req.end();
  });
}
