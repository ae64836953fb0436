import { KvEngine } from "./kv-engine.js";
import type { EmbeddedKvOptions, KvPersistence } from "./kv-engine.js";
import type { KvStore } from "./kv-store.js";
import { KvState } from "./kv-state.js";

const nothingToPersist: KvPersistence = {
  append: () => Promise.resolve(),
  afterCommit: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

/**
 * An empty in-memory {@link KvStore} (`memory://`): same semantics as the file store, nothing
 * survives `close()`. For tests and throwaway brokers.
 */
export function createMemoryKvStore(options: EmbeddedKvOptions = {}): KvStore {
  return new KvEngine("memory://", new KvState(), nothingToPersist, options);
}
