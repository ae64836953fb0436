import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isMetadataError } from "../../errors.js";
import { createManualClock } from "../../manual-clock.js";
import type { KvStore } from "../kv-store.js";
import { runKvStoreContract } from "../kv-store.contract.js";
import { LOG_FILE, openFileKvStore, SNAPSHOT_FILE, SNAPSHOT_TMP_FILE } from "./file-kv-store.js";
import type { FileKvStoreOptions } from "./file-kv-store.js";
import { encodeBatchRecord, LOG_HEADER_BYTES } from "./log-format.js";

const bytes = (s: string) => new TextEncoder().encode(s);
const newDir = () => mkdtemp(join(tmpdir(), "kafscale-metadata-test-"));

/** Appends the first half of a well-formed record, as a crash in the middle of a write leaves it. */
async function appendHalfRecord(dir: string): Promise<void> {
  const record = encodeBatchRecord([{ revision: 1_000_000, effects: [{ type: "put", key: "/torn", value: bytes("x".repeat(100)) }] }]);
  await appendFile(join(dir, LOG_FILE), record.subarray(0, record.length >> 1));
}

runKvStoreContract("file:// (manual clock, 2 KiB snapshot threshold)", async () => {
  const dir = await newDir();
  const clock = createManualClock();
  const options: FileKvStoreOptions = { clock, snapshotThresholdBytes: 2048 };
  let current: KvStore = await openFileKvStore(dir, options);
  return {
    store: current,
    clock,
    async reopen() {
      await current.close();
      current = await openFileKvStore(dir, options);
      return current;
    },
    tearTail: () => appendHalfRecord(dir),
    async cleanup() {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}, { durable: true });

describe("openFileKvStore()", () => {
  let dir: string;
  let warnings: Array<{ obj: object; msg: string }>;
  const logger = { warn: (obj: object, msg: string) => warnings.push({ obj, msg }) };
  const open = (options: FileKvStoreOptions = {}) => openFileKvStore(dir, { logger, ...options });
  const logPath = () => join(dir, LOG_FILE);

  beforeEach(async () => {
    dir = await newDir();
    warnings = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function writeSome(store: KvStore, n: number): Promise<void> {
    for (let i = 0; i < n; i++) await store.put(`/k/${i}`, bytes(`value-${i}`));
  }

  it("creates the directory and an empty log with just its header", async () => {
    const nested = join(dir, "data", "metadata");
    const store = await openFileKvStore(nested);
    expect((await stat(join(nested, LOG_FILE))).size).toBe(LOG_HEADER_BYTES);
    expect((await readdir(nested)).sort()).toEqual(["LOCK", LOG_FILE]);
    await store.close();
    expect(await readdir(nested)).toEqual([LOG_FILE]);
  });

  it.each([
    ["half a record", (b: Buffer) => b.subarray(0, b.length >> 1)],
    ["an incomplete record header", (b: Buffer) => b.subarray(0, 5)],
    ["a record with a flipped payload byte", (b: Buffer) => Buffer.concat([b.subarray(0, b.length - 3), Buffer.from([b[b.length - 3]! ^ 0xff]), b.subarray(b.length - 2)])],
    ["zeros (the file grew, the data never landed)", (b: Buffer) => Buffer.alloc(b.length)],
    ["random garbage", (b: Buffer) => Buffer.from(Array.from({ length: b.length }, (_, i) => (i * 7919 + 13) & 0xff))],
  ])("drops a torn tail of %s with a warning and keeps the rest", async (_, damage) => {
    let store = await open();
    await writeSome(store, 5);
    await store.close();
    const intact = (await stat(logPath())).size;
    const record = encodeBatchRecord([{ revision: 6, effects: [{ type: "put", key: "/lost", value: bytes("x".repeat(64)) }] }]);
    await appendFile(logPath(), damage(record));
    store = await open();
    expect((await store.range("/k/")).length).toBe(5);
    expect(await store.get("/lost")).toBeNull();
    expect(warnings.map((w) => w.msg)).toEqual([expect.stringContaining("torn record")]);
    expect(warnings[0]!.obj).toMatchObject({ offset: intact });
    expect((await stat(logPath())).size).toBe(intact); // cut off, so new records follow intact ones
    expect(await store.put("/after", bytes("a"))).toBe(6);
    await store.close();
    store = await open();
    expect(await store.get("/after")).not.toBeNull();
    await store.close();
  });

  it("recovers a log whose header was torn while being created", async () => {
    await writeFile(logPath(), Buffer.from([0x4b, 0x53, 0x57]));
    const store = await open();
    expect(await store.put("/a", bytes("1"))).toBe(1);
    expect(warnings).toHaveLength(1);
    await store.close();
  });

  it("refuses to open a log corrupted in the middle, naming the byte", async () => {
    const store = await open();
    await writeSome(store, 5);
    await store.close();
    const good = await readFile(logPath());
    const bad = Buffer.from(good);
    bad[LOG_HEADER_BYTES + 20]! ^= 0x01; // inside the first record's payload
    await writeFile(logPath(), bad);
    const err = await open().catch((e: unknown) => e);
    expect(isMetadataError(err, "CORRUPT_DATA")).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`corrupt at byte ${LOG_HEADER_BYTES} \\(record checksum mismatch\\).*intact record follows`));
    await writeFile(logPath(), good); // repaired: opens again (the failed open released the lock)
    const repaired = await open();
    expect(await repaired.range("/k/")).toHaveLength(5);
    await repaired.close();
  });

  it("refuses a file that is not a metadata log", async () => {
    await writeFile(logPath(), "hello, world\n");
    const err = await open().catch((e: unknown) => e);
    expect(isMetadataError(err, "CORRUPT_DATA")).toBe(true);
    expect((err as Error).message).toContain("is not a Kafscale metadata log");
  });

  it("writes a snapshot past the threshold, empties the log, and replays snapshot + log", async () => {
    let store = await open({ snapshotThresholdBytes: 1024 });
    await writeSome(store, 40);
    expect((await stat(join(dir, SNAPSHOT_FILE))).size).toBeGreaterThan(0);
    expect((await stat(logPath())).size).toBeLessThan(1024 + 200);
    await store.delete("/k/3");
    const before = await store.range("");
    await store.close();
    store = await open();
    expect(await store.range("")).toEqual(before);
    expect(await store.put("/z", bytes("z"))).toBe(42);
    await store.close();
  });

  it("skips log records the snapshot already holds (crash between snapshot and truncating the log)", async () => {
    let store = await open();
    await writeSome(store, 10);
    await store.close();
    const oldLog = await readFile(logPath()); // revisions 1..10
    store = await open({ snapshotThresholdBytes: 1 });
    await store.put("/k/10", bytes("value-10")); // revision 11: snapshot at 11, log emptied
    const before = await store.range("");
    await store.close();
    await writeFile(logPath(), oldLog);
    store = await open();
    expect(await store.range("")).toEqual(before);
    expect(await store.put("/next", bytes("n"))).toBe(12);
    await store.close();
  });

  it("refuses a log that does not continue the snapshot's revisions", async () => {
    const store = await open({ snapshotThresholdBytes: 1 });
    await writeSome(store, 3); // snapshot at revision 3, log empty
    await store.close();
    await appendFile(logPath(), encodeBatchRecord([{ revision: 9, effects: [{ type: "delete", key: "/k/1" }] }]));
    const err = await open().catch((e: unknown) => e);
    expect(isMetadataError(err, "CORRUPT_DATA")).toBe(true);
    expect((err as Error).message).toContain("revision 9 follows revision 3");
  });

  it("refuses a damaged snapshot", async () => {
    const store = await open({ snapshotThresholdBytes: 1 });
    await writeSome(store, 3);
    await store.close();
    const snap = await readFile(join(dir, SNAPSHOT_FILE));
    snap[30]! ^= 0x40;
    await writeFile(join(dir, SNAPSHOT_FILE), snap);
    const err = await open().catch((e: unknown) => e);
    expect(isMetadataError(err, "CORRUPT_DATA")).toBe(true);
    expect((err as Error).message).toMatch(/snapshot .* is damaged: checksum/);
  });

  it("removes a snapshot temp file left by a crash", async () => {
    await writeFile(join(dir, SNAPSHOT_TMP_FILE), "half a snapshot");
    const store = await open();
    expect(await readdir(dir)).not.toContain(SNAPSHOT_TMP_FILE);
    await store.close();
  });

  it("deletes leased keys of the previous run on open (leases are in memory)", async () => {
    let store = await open();
    const lease = await store.grantLease(60_000);
    await store.put("/brokers/1", bytes("b"), { leaseId: lease });
    const rev = await store.put("/topics/t", bytes("t"));
    await store.close();
    store = await open();
    expect((await store.range("")).map((kv) => kv.key)).toEqual(["/topics/t"]);
    expect(warnings.map((w) => w.msg)).toEqual([expect.stringContaining("leases from the previous run")]);
    expect(await store.put("/x", bytes("x"))).toBe(rev + 2);
    await expect(store.keepAlive(lease)).rejects.toMatchObject({ code: "LEASE_NOT_FOUND" });
    await store.close();
    store = await open();
    expect((await store.range("")).map((kv) => kv.key)).toEqual(["/topics/t", "/x"]);
    await store.close();
  });

  it("refuses a second open of the same directory while the first is open (LOCKED)", async () => {
    const store = await open();
    await expect(open()).rejects.toMatchObject({ code: "LOCKED" });
    await store.close();
    const again = await open();
    await again.close();
  });

  it("takes over a LOCK file left by a process that is gone", async () => {
    await writeFile(join(dir, "LOCK"), "999999999");
    const store = await open();
    await store.close();
  });

  it("resolves parallel transactions with one sync per batch and keeps them all", async () => {
    let store = await open();
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.put(`/p/${i}`, bytes(String(i)))));
    const size = (await stat(logPath())).size;
    await store.close();
    store = await open();
    expect(await store.range("/p/")).toHaveLength(200);
    await store.close();
    // 200 txns in few records: each record costs 12 bytes of framing + 1 + 4, each txn 12 + its effect.
    expect(size).toBeLessThan(LOG_HEADER_BYTES + 200 * 40 + 20 * 17);
  });

  it("opens a log cut exactly at a record boundary without warnings", async () => {
    let store = await open();
    await writeSome(store, 3);
    const size3 = (await stat(logPath())).size;
    await writeSome(store, 4);
    await store.close();
    await truncate(logPath(), size3);
    store = await open();
    expect((await store.range("")).length).toBe(3);
    expect(warnings).toEqual([]);
    await store.close();
  });
});
