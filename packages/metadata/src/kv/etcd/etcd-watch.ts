import type { Etcd3, IEvent, IWatchResponse, Watcher } from "etcd3";
import { MetadataError } from "../../errors.js";
import type { MetadataLogger } from "../../logger.js";
import type { WatchEvent, WatchListener } from "../kv-store.js";
import { toMetadataError } from "./etcd-errors.js";
import type { EtcdKeyspace } from "./etcd-keyspace.js";

/** What a {@link PrefixWatch} needs from its store. */
export interface PrefixWatchContext {
  readonly client: Etcd3;
  readonly keys: EtcdKeyspace;
  readonly logger: MetadataLogger;
  readonly timeoutMs: number;
  /** The store's current revision (a read). */
  currentRevision(): Promise<number>;
}

const RESTART_DELAY_MS = 1_000;

/**
 * One watch of a key prefix on etcd3's shared watch stream. etcd3 re-creates watches when the
 * stream breaks, from `watcher.request.start_revision`; it sets that to the header revision of the
 * last answer, which skips events when a catch-up answer was cut short. This class keeps it at the
 * first revision not yet delivered instead, so a watch resumes exactly where it stopped.
 * If etcd cancels the watch, it is re-created where it stopped; only when the reason is that its
 * history was compacted past that revision does it restart at the current revision, logging the
 * revisions whose events were lost.
 */
export class PrefixWatch {
  private watcher: Watcher | undefined;
  /** The first revision not yet delivered; 0 until the first connect. */
  private next = 0;
  private stopped = false;
  private streamLost = false;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: PrefixWatchContext,
    private readonly prefix: string,
    private readonly listener: WatchListener,
  ) {}

  /** Resolves once etcd has set the watch up; `UNAVAILABLE` if that takes longer than the request timeout. */
  async start(): Promise<void> {
    const watcher = this.attach();
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        watcher.once("connected", () => resolve());
        watcher.once("error", (err) => reject(toMetadataError(err, `watch ${this.prefix}`)));
        timer = setTimeout(() => reject(new MetadataError("UNAVAILABLE", `watch ${this.prefix}: etcd did not set the watch up within ${this.ctx.timeoutMs} ms`)), this.ctx.timeoutMs);
      });
    } catch (err) {
      await this.stop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Cancels the watch; no event is delivered once this resolves. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const watcher = this.watcher;
    if (watcher === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.ctx.timeoutMs)));
    await Promise.race([watcher.cancel().catch(() => {}), timeout]);
    clearTimeout(timer);
  }

  private attach(startRevision?: number): Watcher {
    const { key, range_end } = this.ctx.keys.prefixRange(this.prefix);
    const builder = this.ctx.client.watch().inRange({ start: key, end: range_end });
    if (startRevision !== undefined) builder.startRevision(String(startRevision));
    const watcher = builder.watcher();
    this.watcher = watcher;
    // etcd3's own handlers (registered by the constructor) run first; these correct what they set.
    watcher.on("connected", (res) => this.guard(watcher, () => this.connected(watcher, res)));
    watcher.on("data", (res) => this.guard(watcher, () => this.deliver(watcher, res)));
    watcher.on("disconnected", (err) => this.guard(watcher, () => this.disconnected(err)));
    watcher.on("error", (err) => this.guard(watcher, () => this.canceled(watcher, err)));
    return watcher;
  }

  /** Runs a handler of the current watcher; nothing may throw into etcd3's stream handling. */
  private guard(watcher: Watcher, handler: () => void): void {
    if (this.stopped || watcher !== this.watcher) return;
    try {
      handler();
    } catch (err) {
      this.ctx.logger.warn({ err, prefix: this.prefix }, "etcd watch: unexpected error while handling an answer");
    }
  }

  private connected(watcher: Watcher, res: IWatchResponse): void {
    if (this.next === 0) this.next = Number(res.header.revision) + 1;
    watcher.request.start_revision = String(this.next);
    if (this.streamLost) {
      this.streamLost = false;
      this.ctx.logger.warn({ prefix: this.prefix, resumedAt: this.next }, "etcd watch resumed");
    }
  }

  private deliver(watcher: Watcher, res: IWatchResponse): void {
    for (const ev of res.events) {
      if (Number(ev.kv.mod_revision) < this.next || this.stopped) continue;
      const event = this.toEvent(ev);
      try {
        this.listener(event);
      } catch (err) {
        this.ctx.logger.warn({ err, prefix: this.prefix, key: event.key }, "a watch listener threw; delivery goes on");
      }
    }
    const last = res.events.at(-1);
    // An answer without events is a progress notice, which etcd sends only to watches that are caught up.
    this.next = last !== undefined ? Number(last.kv.mod_revision) + 1 : Math.max(this.next, Number(res.header.revision) + 1);
    watcher.request.start_revision = String(this.next);
  }

  private toEvent(ev: IEvent): WatchEvent {
    const key = this.ctx.keys.userKey(ev.kv.key);
    const modRevision = Number(ev.kv.mod_revision);
    if (ev.type === "Delete") return { type: "delete", key, modRevision };
    return { type: "put", key, value: new Uint8Array(ev.kv.value), modRevision, createRevision: Number(ev.kv.create_revision), version: Number(ev.kv.version) };
  }

  private disconnected(err: unknown): void {
    if (this.streamLost || this.next === 0) return;
    this.streamLost = true;
    this.ctx.logger.warn({ err: toMetadataError(err, `watch ${this.prefix}`), prefix: this.prefix, resumesAt: this.next }, "etcd watch stream lost; the watch resumes when etcd answers");
  }

  private canceled(watcher: Watcher, err: unknown): void {
    releaseAttachQueue(watcher);
    const message = err instanceof Error ? err.message : String(err);
    // A stream opened with an auth token etcd forgot (it restarted) has every watch created on it
    // canceled: open a new stream, which takes the token the client holds now.
    if (/Unauthenticated|invalid auth token/i.test(message)) resetWatchStream(watcher, err);
    if (this.next === 0) return; // start() reports it
    // etcd cancels a watch whose history was compacted away, but also, after it restarted with
    // authentication on, one whose auth token it no longer knows: only the first loses events.
    const compacted = /compacted/i.test(message);
    this.ctx.logger.warn({ err: toMetadataError(err, `watch ${this.prefix}`), prefix: this.prefix, resumesAt: this.next, compacted }, "etcd canceled the watch; restarting it");
    this.restartTimer = setTimeout(() => void this.restart(compacted), RESTART_DELAY_MS);
  }

  /**
   * Re-creates a canceled watch: where it stopped, or, when its history was compacted, at the
   * current revision (the events in between are lost, and logged as such). The read of the
   * current revision comes first either way: it makes the client authenticate again if etcd
   * forgot its token, which the new watch stream then uses.
   */
  private async restart(compacted: boolean): Promise<void> {
    if (this.stopped) return;
    try {
      const current = await this.ctx.currentRevision();
      if (this.stopped) return;
      if (compacted) {
        if (current >= this.next) {
          this.ctx.logger.warn({ prefix: this.prefix, fromRevision: this.next, toRevision: current }, "etcd watch: events of these revisions were compacted away before delivery and are lost");
        }
        this.next = Math.max(this.next, current + 1);
      }
      this.attach(this.next);
    } catch (err) {
      this.ctx.logger.warn({ err, prefix: this.prefix }, "etcd watch: restart failed; trying again");
      this.restartTimer = setTimeout(() => void this.restart(compacted), RESTART_DELAY_MS);
    }
  }
}

/**
 * etcd3 1.1.2 creates a client's watches one at a time through an attach queue, and when etcd
 * answers a creation with "canceled" (an auth token etcd forgot when it restarted), it never takes
 * that watcher off the queue (`WatchManager.handleCreatedResponse` skips `AttachQueue.handleCreate`):
 * every later watch of the client would wait forever. This takes the canceled watcher off and
 * sends the next creation, as `handleCreate` would have.
 */
function releaseAttachQueue(watcher: Watcher): void {
  type Queue = { queue: unknown[]; readQueue(): void };
  const queue = (watcher as unknown as { manager?: { queue?: Queue | null } }).manager?.queue;
  if (queue != null && queue.queue[0] === watcher) {
    queue.queue.shift();
    queue.readQueue();
  }
}

/**
 * Makes etcd3's watch manager drop its stream and open a new one after its backoff (what it does
 * itself when a stream fails): the other watches of the client resume on the new stream.
 */
function resetWatchStream(watcher: Watcher, err: unknown): void {
  const manager = (watcher as unknown as { manager?: { state?: number; handleError?: (e: unknown) => void } }).manager;
  if (manager?.state === 2 /* connected */) manager.handleError?.(err);
}
