import { describe, expect, it } from "vitest";
import { StorageError } from "../errors.js";
import { InstrumentedStore } from "../test-support/instrumented-store.js";
import { checkObjectStoreWritable } from "./check-writable.js";
import { createMemoryObjectStore } from "./memory-object-store.js";
import type { ByteRange } from "./object-store.js";

describe("checkObjectStoreWritable()", () => {
  it("puts a probe under the prefix, reads it back and deletes it", async () => {
    const store = new InstrumentedStore(createMemoryObjectStore());
    await checkObjectStoreWritable(store, "default/_kafscale/probes");
    expect(store.puts).toHaveLength(1);
    expect(store.puts[0]).toMatch(/^default\/_kafscale\/probes\/probe-\d+-[0-9a-f]{12}$/);
    expect(store.deletes).toEqual(store.puts);
    expect(await store.keys()).toEqual([]);
  });

  it("rejects with the store's error when the put fails", async () => {
    const store = new InstrumentedStore(createMemoryObjectStore());
    store.failPuts = new StorageError("IO", "access denied");
    await expect(checkObjectStoreWritable(store, "p/")).rejects.toMatchObject({ code: "IO", message: "access denied" });
  });

  it("rejects with IO when the bytes read back differ, and still deletes the probe", async () => {
    class Corrupting extends InstrumentedStore {
      override async get(key: string, range?: ByteRange): Promise<Uint8Array> {
        const data = await super.get(key, range);
        data[0] = data[0]! ^ 0xff;
        return data;
      }
    }
    const store = new Corrupting(createMemoryObjectStore());
    await expect(checkObjectStoreWritable(store, "p/")).rejects.toMatchObject({ code: "IO", message: expect.stringMatching(/read back different bytes/) });
    expect(await store.keys()).toEqual([]);
  });
});
