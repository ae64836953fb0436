import { describe, expect, it } from "vitest";
import { createManualClock } from "../manual-clock.js";
import { runKvStoreContract } from "./kv-store.contract.js";
import { createMemoryKvStore } from "./memory-kv-store.js";

runKvStoreContract("memory:// (manual clock)", async () => {
  const clock = createManualClock();
  const store = createMemoryKvStore({ clock });
  return { store, clock, cleanup: () => store.close() };
});

describe("createMemoryKvStore()", () => {
  it("expires leases on the system clock when no clock is given", async () => {
    const store = createMemoryKvStore();
    const lease = await store.grantLease(50);
    await store.put("/a", new Uint8Array([1]), { leaseId: lease });
    const deleted = new Promise<void>((resolve) => {
      void store.watch("/a", (e) => {
        if (e.type === "delete") resolve();
      });
    });
    await deleted;
    expect(await store.get("/a")).toBeNull();
    await store.close();
  });
});
