import { describe, expect, it } from "vitest";
import { createMemoryObjectStore, dropMemoryObjectStore } from "./memory-object-store.js";
import { runObjectStoreContract } from "./object-store.contract.js";

runObjectStoreContract("memory://", async () => ({ store: createMemoryObjectStore(), cleanup: async () => {} }));

describe("createMemoryObjectStore()", () => {
  it("shares the objects of a named store between handles, and close() of one keeps them", async () => {
    const a = createMemoryObjectStore("shared-test");
    const b = createMemoryObjectStore("shared-test");
    await a.putIfAbsent("k", Uint8Array.of(1));
    await a.close();
    expect(await b.get("k")).toEqual(Uint8Array.of(1));
    dropMemoryObjectStore("shared-test");
    expect(await createMemoryObjectStore("shared-test").head("k")).toBeNull();
    dropMemoryObjectStore("shared-test");
  });

  it("keeps unnamed stores private", async () => {
    const a = createMemoryObjectStore();
    await a.putIfAbsent("k", Uint8Array.of(1));
    expect(await createMemoryObjectStore().head("k")).toBeNull();
  });
});
