import { ObjectExistsError, ObjectNotFoundError, StorageError } from "../errors.js";
import { compareKeys, resolveRange, validateObjectKey } from "./keys.js";
import type { ByteRange, ListOptions, ObjectHead, ObjectListEntry, ObjectStore } from "./object-store.js";

type Objects = Map<string, Uint8Array>;

/** Data of named stores (`memory://name`), shared by every handle in the process. */
const namedStores = new Map<string, Objects>();

/**
 * An {@link ObjectStore} in process memory, for tests and single-process
 * experiments. `name` makes it shared: every store created with the same
 * name sees the same objects (so a test can "restart" a broker), and closing
 * one handle does not drop them; use {@link dropMemoryObjectStore} for that.
 * Without a name the store is private to the returned instance.
 */
export function createMemoryObjectStore(name?: string): ObjectStore {
  if (name === undefined || name === "") return new MemoryObjectStore(new Map());
  let objects = namedStores.get(name);
  if (objects === undefined) {
    objects = new Map();
    namedStores.set(name, objects);
  }
  return new MemoryObjectStore(objects);
}

/** Forgets the objects of the named memory store (handles still open see it empty). */
export function dropMemoryObjectStore(name: string): void {
  namedStores.get(name)?.clear();
  namedStores.delete(name);
}

class MemoryObjectStore implements ObjectStore {
  #objects: Objects;
  #closed = false;

  constructor(objects: Objects) {
    this.#objects = objects;
  }

  async putIfAbsent(key: string, body: Uint8Array | readonly Uint8Array[]): Promise<void> {
    this.#checkOpen();
    validateObjectKey(key);
    // Check and insert with no await in between: concurrent calls cannot both win.
    if (this.#objects.has(key)) throw new ObjectExistsError(key);
    this.#objects.set(key, concat(body));
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    this.#checkOpen();
    validateObjectKey(key);
    const data = this.#objects.get(key);
    if (data === undefined) throw new ObjectNotFoundError(key);
    const { start, end } = resolveRange(key, data.length, range);
    return data.slice(start, end);
  }

  async head(key: string): Promise<ObjectHead | null> {
    this.#checkOpen();
    validateObjectKey(key);
    const data = this.#objects.get(key);
    return data === undefined ? null : { size: data.length };
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectListEntry> {
    this.#checkOpen();
    const { startAfter } = options;
    const keys = [...this.#objects.keys()]
      .filter((k) => k.startsWith(prefix) && (startAfter === undefined || compareKeys(k, startAfter) > 0))
      .sort(compareKeys);
    for (const key of keys) {
      const data = this.#objects.get(key);
      if (data !== undefined) yield { key, size: data.length };
    }
  }

  async delete(key: string): Promise<void> {
    this.#checkOpen();
    validateObjectKey(key);
    this.#objects.delete(key);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #checkOpen(): void {
    if (this.#closed) throw new StorageError("CLOSED", "memory object store is closed");
  }
}

function concat(body: Uint8Array | readonly Uint8Array[]): Uint8Array {
  // A copy that is a plain Uint8Array: a Buffer's slice() would be a view of the caller's bytes.
  if (body instanceof Uint8Array) return new Uint8Array(body);
  let size = 0;
  for (const chunk of body) size += chunk.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of body) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
