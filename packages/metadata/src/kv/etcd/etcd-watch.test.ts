import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { WatchEvent } from "../kv-store.js";
import { EtcdKeyspace } from "./etcd-keyspace.js";
import { PrefixWatch, type PrefixWatchContext } from "./etcd-watch.js";

/** Stands in for etcd3's Watcher: its request (which etcd3 re-sends on reconnect) and its events. */
class FakeWatcher extends EventEmitter {
  readonly request: { start_revision?: string } = {};
  canceled = false;
  constructor(start?: string) {
    super();
    if (start !== undefined) this.request.start_revision = start;
    // etcd3's own handler, registered first: it resumes after the header revision of every answer.
    const follow = (res: { header: { revision: string } }) => (this.request.start_revision = String(Number(res.header.revision) + 1));
    this.on("connected", follow).on("data", follow);
  }
  async cancel(): Promise<void> {
    this.canceled = true;
  }
}

function fakeContext(current = 0) {
  const watchers: FakeWatcher[] = [];
  const warnings: Array<{ msg: string; obj: object }> = [];
  // Like etcd3's WatchBuilder: each method sets up the request and returns the same builder.
  const builder = () => {
    let start: string | undefined;
    const b = {
      inRange: () => b,
      startRevision: (rev: string) => ((start = rev), b),
      watcher: () => {
        const w = new FakeWatcher(start);
        watchers.push(w);
        return w;
      },
    };
    return b;
  };
  const ctx = {
    client: { watch: builder },
    keys: new EtcdKeyspace(""),
    logger: { warn: (obj: object, msg: string) => warnings.push({ obj, msg }) },
    timeoutMs: 1_000,
    currentRevision: async () => current,
  } as unknown as PrefixWatchContext;
  return { ctx, watchers, warnings };
}

const header = (revision: number) => ({ header: { revision: String(revision) } });
const put = (key: string, rev: number) => ({ type: "Put", kv: { key: Buffer.from(key), value: Buffer.from("v"), mod_revision: String(rev), create_revision: String(rev), version: "1", lease: "0" } });

describe("PrefixWatch", () => {
  it("resumes at the first revision not delivered, not at the header revision etcd3 would use", async () => {
    const { ctx, watchers } = fakeContext();
    const events: WatchEvent[] = [];
    const watch = new PrefixWatch(ctx, "/p/", (e) => events.push(e));
    const started = watch.start();
    const w = watchers[0]!;
    w.emit("connected", header(10));
    await started;
    expect(w.request.start_revision).toBe("11");
    // A catch-up answer cut short: events up to 12, but the header says 20.
    w.emit("data", { ...header(20), events: [put("/p/a", 11), put("/p/b", 12)] });
    expect(w.request.start_revision).toBe("13");
    w.emit("disconnected", new Error("stream lost"));
    w.emit("connected", header(25)); // reconnected: the events 13..25 are still to come
    expect(w.request.start_revision).toBe("13");
    w.emit("data", { ...header(25), events: [put("/p/a", 12), put("/p/c", 13)] }); // 12 again: dropped
    expect(events.map((e) => `${e.key}@${e.modRevision}`)).toEqual(["/p/a@11", "/p/b@12", "/p/c@13"]);
    w.emit("data", { ...header(40), events: [] }); // a progress notice: caught up to 40
    expect(w.request.start_revision).toBe("41");
    await watch.stop();
    expect(w.canceled).toBe(true);
    w.emit("data", { ...header(41), events: [put("/p/d", 41)] });
    expect(events).toHaveLength(3);
  });

  it("restarts a watch etcd canceled (compacted history) at the current revision, and says what was lost", async () => {
    const { ctx, watchers, warnings } = fakeContext(30);
    const events: WatchEvent[] = [];
    const watch = new PrefixWatch(ctx, "/p/", (e) => events.push(e));
    const started = watch.start();
    watchers[0]!.emit("connected", header(10));
    await started;
    watchers[0]!.emit("error", new Error("Watcher canceled: mvcc: required revision has been compacted"));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(watchers).toHaveLength(2);
    expect(watchers[1]!.request.start_revision).toBe("31");
    expect(warnings.map((w) => w.msg)).toEqual(["etcd canceled the watch; restarting it", expect.stringContaining("compacted away")]);
    expect(warnings[1]!.obj).toMatchObject({ fromRevision: 11, toRevision: 30 });
    watchers[1]!.emit("connected", header(30));
    watchers[1]!.emit("data", { ...header(31), events: [put("/p/x", 31)] });
    watchers[0]!.emit("data", { ...header(32), events: [put("/p/old", 32)] }); // the canceled watcher: ignored
    expect(events.map((e) => e.key)).toEqual(["/p/x"]);
    await watch.stop();
  });

  it("restarts a watch canceled for another reason (a forgotten auth token) where it stopped, losing nothing", async () => {
    const { ctx, watchers, warnings } = fakeContext(30);
    const events: WatchEvent[] = [];
    const watch = new PrefixWatch(ctx, "/p/", (e) => events.push(e));
    const started = watch.start();
    watchers[0]!.emit("connected", header(10));
    await started;
    watchers[0]!.emit("error", new Error("Watcher canceled: rpc error: code = Unauthenticated desc = etcdserver: invalid auth token"));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(watchers).toHaveLength(2);
    expect(watchers[1]!.request.start_revision).toBe("11");
    expect(warnings.map((w) => w.msg)).toEqual(["etcd canceled the watch; restarting it"]);
    watchers[1]!.emit("connected", header(30));
    watchers[1]!.emit("data", { ...header(31), events: [put("/p/missed", 12), put("/p/x", 31)] });
    expect(events.map((e) => e.key)).toEqual(["/p/missed", "/p/x"]);
    await watch.stop();
  });

  it("rejects with UNAVAILABLE when etcd does not set the watch up in time", async () => {
    const { ctx, watchers } = fakeContext();
    const watch = new PrefixWatch(ctx, "/p/", () => {});
    await expect(watch.start()).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(watchers[0]!.canceled).toBe(true);
  });
});
