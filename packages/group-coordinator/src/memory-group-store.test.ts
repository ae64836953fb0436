import { createMemoryGroupStore } from "./memory-group-store.js";
import { runGroupStoreContract } from "./group-store.contract.js";

runGroupStoreContract("memory", async () => ({ store: createMemoryGroupStore(), cleanup: async () => {} }));
