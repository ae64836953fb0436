import type { MetadataLogger } from "../logger.js";
import type { WatchEvent, WatchListener } from "./kv-store.js";

interface Watcher {
  readonly prefix: string;
  readonly listener: WatchListener;
  active: boolean;
}

/**
 * Delivers watch events to listeners by prefix, strictly in the order they were published, even
 * when a listener causes new events while being called (those are queued behind the current ones).
 */
export class WatchHub {
  private watchers: Watcher[] = [];
  private readonly queue: WatchEvent[] = [];
  private delivering = false;

  constructor(private readonly logger: MetadataLogger) {}

  add(prefix: string, listener: WatchListener): () => void {
    const watcher: Watcher = { prefix, listener, active: true };
    this.watchers = [...this.watchers, watcher];
    return () => {
      watcher.active = false;
      this.watchers = this.watchers.filter((w) => w !== watcher);
    };
  }

  publish(events: readonly WatchEvent[]): void {
    this.queue.push(...events);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let event = this.queue.shift(); event !== undefined; event = this.queue.shift()) {
        for (const w of this.watchers) {
          if (!w.active || !event.key.startsWith(w.prefix)) continue;
          try {
            w.listener(event);
          } catch (err) {
            this.logger.warn({ err, key: event.key, prefix: w.prefix }, "metadata watch listener threw; event delivery continues");
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  clear(): void {
    this.watchers = [];
    this.queue.length = 0;
  }
}
