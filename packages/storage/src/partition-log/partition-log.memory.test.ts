import { createMemoryObjectStore } from "../object-store/memory-object-store.js";
import { runPartitionLogContract } from "./partition-log.contract.js";

runPartitionLogContract("memory://", async () => ({ store: createMemoryObjectStore(), cleanup: async () => {} }));
