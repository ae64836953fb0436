import { describe, expect, it } from "vitest";
import { EtcdKeyspace, rangeEndOf } from "./etcd-keyspace.js";

describe("EtcdKeyspace", () => {
  it("puts keys inside its namespace and takes them out again", () => {
    const keys = new EtcdKeyspace("/ns");
    expect(keys.key("/a/é").toString()).toBe("/ns/a/é");
    expect(keys.userKey(Buffer.from("/ns/a/é"))).toBe("/a/é");
  });

  it("gives the range of a prefix: from the prefix to the key after all keys that start with it", () => {
    expect(new EtcdKeyspace("/ns").prefixRange("/t/")).toEqual({ key: Buffer.from("/ns/t/"), range_end: Buffer.from("/ns/t0") });
    expect(new EtcdKeyspace("/ns").prefixRange("")).toEqual({ key: Buffer.from("/ns"), range_end: Buffer.from("/nt") });
    expect(new EtcdKeyspace("").prefixRange("")).toEqual({ key: Buffer.from([0]), range_end: Buffer.from([0]) }); // every key
  });

  it("carries a range end past 0xff bytes, and means 'to the end' when there is nothing to carry into", () => {
    expect(rangeEndOf(Buffer.from([0x61, 0xff, 0xff]))).toEqual(Buffer.from([0x62]));
    expect(rangeEndOf(Buffer.from([0xff]))).toEqual(Buffer.from([0]));
  });

  it("returns key-values with copied values, numeric revisions, and the lease only when there is one", () => {
    const keys = new EtcdKeyspace("/ns");
    const value = Buffer.from("v");
    const kv = { key: Buffer.from("/ns/k"), value, create_revision: "3", mod_revision: "9", version: "2", lease: "0" };
    const read = keys.keyValue(kv);
    expect(read).toEqual({ key: "/k", value: new Uint8Array([0x76]), createRevision: 3, modRevision: 9, version: 2 });
    value[0] = 0;
    expect(read.value[0]).toBe(0x76);
    expect(keys.keyValue({ ...kv, lease: "7587869823766325001" }).leaseId).toBe("7587869823766325001");
  });
});
