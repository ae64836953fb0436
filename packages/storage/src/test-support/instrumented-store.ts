import { StorageError } from "../errors.js";
import type { ByteRange, ListOptions, ObjectHead, ObjectListEntry, ObjectStore } from "../object-store/object-store.js";

/**
 * Wraps a store to count calls, hold puts at a gate, and fail puts on demand
 * (an ObjectStore that fails puts, for flush-failure tests).
 */
export class InstrumentedStore implements ObjectStore {
  readonly inner: ObjectStore;
  readonly puts: string[] = [];
  readonly gets: { key: string; range: ByteRange | undefined }[] = [];
  readonly deletes: string[] = [];
  /** While set, every put fails with this error (after being counted). */
  failPuts: StorageError | null = null;
  #gate: { promise: Promise<void>; open(): void } | null = null;

  constructor(inner: ObjectStore) {
    this.inner = inner;
  }

  /** Makes puts wait until the returned function is called. */
  holdPuts(): () => void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    const gate = { promise, open };
    this.#gate = gate;
    return () => {
      if (this.#gate === gate) this.#gate = null;
      gate.open();
    };
  }

  async putIfAbsent(key: string, body: Uint8Array | readonly Uint8Array[]): Promise<void> {
    this.puts.push(key);
    if (this.#gate !== null) await this.#gate.promise;
    if (this.failPuts !== null) throw this.failPuts;
    return this.inner.putIfAbsent(key, body);
  }

  get(key: string, range?: ByteRange): Promise<Uint8Array> {
    this.gets.push({ key, range });
    return this.inner.get(key, range);
  }

  head(key: string): Promise<ObjectHead | null> {
    return this.inner.head(key);
  }

  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectListEntry> {
    return this.inner.list(prefix, options);
  }

  delete(key: string): Promise<void> {
    this.deletes.push(key);
    return this.inner.delete(key);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Keys currently in the store under `prefix`. */
  async keys(prefix = ""): Promise<string[]> {
    const out: string[] = [];
    for await (const entry of this.inner.list(prefix)) out.push(entry.key);
    return out;
  }
}
