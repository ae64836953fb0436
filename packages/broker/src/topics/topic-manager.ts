import { randomUUID } from "node:crypto";
import { ErrorCode } from "@kafscale/protocol";
import type { MetadataStore, PartitionState, TopicConfig, TopicEvent } from "@kafscale/metadata";
import { createAlignedFlushTimer, PartitionLog, type ObjectStore, type SegmentCache } from "@kafscale/storage";
import type { Logger } from "../logger.js";
import { OrphanSweeper } from "./orphan-sweeper.js";
import { PartitionCommitter, segmentFromRecord } from "./partition-committer.js";
import { topicConfigProblem } from "./topic-configs.js";
import { topicNameProblem } from "./topic-name.js";

export interface TopicManagerOptions {
  metadata: MetadataStore;
  objects: ObjectStore;
  cache: SegmentCache;
  namespace: string;
  nodeId: number;
  flushBytes: number;
  flushAgeMs: number;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  /** Defaults of new topics, written into their config map unless the creator set them. */
  defaultRetentionMs: number;
  defaultRetentionBytes: number;
  log: Logger;
}

/** A topic as the handlers see it. */
export interface TopicInfo {
  name: string;
  topicId: string;
  partitionCount: number;
  /** Config overrides (Kafka's names), including the defaults written at creation. */
  configs: Readonly<Record<string, string>>;
  replicationFactor: number;
}

export interface TopicResult {
  errorCode: number;
  errorMessage: string | null;
  topic?: TopicInfo;
}

interface TopicEntry {
  info: TopicInfo;
  config: TopicConfig;
  revision: number;
  logs: PartitionLog[];
  /** Leader epoch of each partition, from its PartitionState. */
  epochs: number[];
}

const ok = (topic?: TopicInfo): TopicResult => (topic === undefined ? { errorCode: ErrorCode.NONE, errorMessage: null } : { errorCode: ErrorCode.NONE, errorMessage: null, topic });
const fail = (errorCode: number, errorMessage: string): TopicResult => ({ errorCode, errorMessage });

/**
 * The topics and partitions this broker serves: loaded from the metadata store on start, each
 * partition's log restored from its committed segments; created, grown, reconfigured and
 * deleted through the metadata store, which is the source of truth.
 */
export class TopicManager {
  private readonly topics = new Map<string, TopicEntry>();
  private readonly byId = new Map<string, string>();
  /** The last config or partition change of each topic: changes to one topic run one at a time. */
  private readonly changes = new Map<string, Promise<unknown>>();
  /** Creations in progress, so concurrent auto-creates of one topic share the work. */
  private readonly creating = new Map<string, Promise<TopicResult>>();
  /** Deletions in progress, so the watch does not report our own deletion as someone else's. */
  private readonly deleting = new Set<string>();
  /** Partitions being reopened after their log was fenced (`topic\0partition`). */
  private readonly recovering = new Set<string>();
  private readonly sweeper: OrphanSweeper;
  /** One clock for every partition's age-due flushes, so they flush together. */
  private readonly flushTimer = createAlignedFlushTimer();
  private closed = false;

  constructor(private readonly options: TopicManagerOptions) {
    this.sweeper = new OrphanSweeper(options.log);
  }

  async start(): Promise<void> {
    for (const { value, revision } of await this.options.metadata.listTopics()) {
      await this.load(value, revision);
    }
    this.options.log.info({ topics: this.topics.size }, "topics restored");
  }

  private async load(config: TopicConfig, revision: number): Promise<TopicEntry> {
    const entry: TopicEntry = { info: this.infoOf(config), config, revision, logs: [], epochs: [] };
    await this.openPartitions(entry, config.partitions);
    this.topics.set(config.name, entry);
    this.byId.set(config.topicId, config.name);
    return entry;
  }

  /** Opens the logs of the entry's partitions from the next one up to `count`, from their states in the metadata store. */
  private async openPartitions(entry: TopicEntry, count: number): Promise<void> {
    const name = entry.config.name;
    const states = count > entry.logs.length ? await this.options.metadata.listPartitionStates(name) : [];
    for (let p = entry.logs.length; p < count; p++) {
      const found = states.find((s) => s.value.partition === p);
      if (found === undefined) throw new Error(`topic ${name} has no state for partition ${p}`);
      entry.logs.push(await this.openLog(found.value, found.revision, entry.info.configs));
      entry.epochs.push(found.value.leaderEpoch);
    }
  }

  /** Records a topic config the metadata store holds at `revision`. */
  private setConfig(entry: TopicEntry, config: TopicConfig, revision: number): void {
    entry.config = config;
    entry.revision = revision;
    entry.info = this.infoOf(config);
  }

  private async openLog(state: PartitionState, revision: number, configs: Readonly<Record<string, string>>): Promise<PartitionLog> {
    const log = await this.openPartitionLog(state, revision, configs);
    this.sweeper.schedule(log);
    return log;
  }

  private async openPartitionLog(state: PartitionState, revision: number, configs: Readonly<Record<string, string>>): Promise<PartitionLog> {
    const o = this.options;
    const committer = new PartitionCommitter(o.metadata, state, revision);
    const segments = (await o.metadata.listSegments(state.topic, state.partition)).map(segmentFromRecord);
    return PartitionLog.open({
      store: o.objects,
      committer,
      topic: state.topic,
      partition: state.partition,
      namespace: o.namespace,
      segments,
      logStartOffset: state.logStartOffset,
      nextOffset: state.logEndOffset,
      flushBytes: segmentBytes(configs) ?? o.flushBytes,
      flushAgeMs: o.flushAgeMs,
      flushTimer: this.flushTimer,
      cache: o.cache,
      leaderEpoch: state.leaderEpoch,
      logger: o.log,
      onFenced: () => this.recoverPartition(state.topic, state.partition),
    });
  }

  private infoOf(config: TopicConfig): TopicInfo {
    return {
      name: config.name,
      topicId: config.topicId,
      partitionCount: config.partitions,
      configs: { ...config.config },
      replicationFactor: config.replicationFactor,
    };
  }

  list(): TopicInfo[] {
    return [...this.topics.values()].map((e) => e.info).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): TopicInfo | undefined {
    return this.topics.get(name)?.info;
  }

  getById(topicId: string): TopicInfo | undefined {
    const name = this.byId.get(topicId);
    return name === undefined ? undefined : this.get(name);
  }

  /** The log of a partition, or undefined when the topic or partition does not exist. */
  log(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.logs[partition];
  }

  /** The partition's leader epoch (0 until leadership moves between brokers). */
  leaderEpoch(topic: string, partition: number): number {
    return this.topics.get(topic)?.epochs[partition] ?? -1;
  }

  get autoCreateEnabled(): boolean {
    return this.options.autoCreateTopics;
  }

  /**
   * The broker-level values (by topic config name) a topic falls back to when it does not set
   * the config itself: the retention written into new topics and the size logs flush at.
   */
  brokerTopicDefaults(): Readonly<Record<string, string>> {
    return {
      "retention.ms": String(this.options.defaultRetentionMs),
      "retention.bytes": String(this.options.defaultRetentionBytes),
      "segment.bytes": String(this.options.flushBytes),
    };
  }

  /**
   * A topic's overrides as they are stored: the retention defaults are written in unless set,
   * as `create` does, so that removing a retention override falls back to the broker's value
   * rather than to "keep forever". Pass the result to `setConfigs`.
   */
  withCreationDefaults(overrides: Readonly<Record<string, string>>): Record<string, string> {
    return {
      "retention.ms": String(this.options.defaultRetentionMs),
      "retention.bytes": String(this.options.defaultRetentionBytes),
      ...overrides,
    };
  }

  /** Creates a topic (CreateTopics); `partitions` -1 means the default count. */
  async create(name: string, partitions: number, replicationFactor: number, configs: [string, string | null][], validateOnly: boolean): Promise<TopicResult> {
    const nameProblem = topicNameProblem(name);
    if (nameProblem !== null) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
    const count = partitions === -1 ? this.options.defaultPartitions : partitions;
    if (!Number.isInteger(count) || count < 1) return fail(ErrorCode.INVALID_PARTITIONS, `Number of partitions must be larger than 0 (got ${partitions})`);
    if (replicationFactor === 0 || replicationFactor < -1) return fail(ErrorCode.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0, or -1 for the default");
    const configProblem = topicConfigProblem(configs);
    if (configProblem !== null) return fail(ErrorCode.INVALID_CONFIG, configProblem);
    if (this.topics.has(name) || this.creating.has(name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    const overrides: Record<string, string> = {
      "retention.ms": String(this.options.defaultRetentionMs),
      "retention.bytes": String(this.options.defaultRetentionBytes),
    };
    for (const [k, v] of configs) if (v !== null) overrides[k] = v;
    const info: TopicInfo = { name, topicId: randomUUID(), partitionCount: count, configs: overrides, replicationFactor: replicationFactor === -1 ? 1 : replicationFactor };
    if (validateOnly) return ok(info);
    const work = this.persistNewTopic(info);
    this.creating.set(name, work);
    try {
      return await work;
    } finally {
      this.creating.delete(name);
    }
  }

  private async persistNewTopic(info: TopicInfo): Promise<TopicResult> {
    const { metadata, log } = this.options;
    try {
      const created = await metadata.createTopic({
        name: info.name,
        topicId: info.topicId,
        partitions: info.partitionCount,
        replicationFactor: info.replicationFactor,
        retentionMs: BigInt(info.configs["retention.ms"] ?? "-1"),
        retentionBytes: BigInt(info.configs["retention.bytes"] ?? "-1"),
        config: { ...info.configs },
      });
      const entry = await this.load(created.value, created.revision);
      log.info({ topic: info.name, partitions: info.partitionCount, topicId: info.topicId }, "topic created");
      return ok(entry.info);
    } catch (err) {
      if ((err as { code?: string }).code === "TOPIC_EXISTS") return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${info.name}' already exists.`);
      log.error({ err, topic: info.name }, "topic creation failed");
      return fail(ErrorCode.UNKNOWN_SERVER_ERROR, "The metadata store refused the new topic");
    }
  }

  /**
   * The topic, created with the defaults when auto-creation is on (Metadata, Produce).
   * Answers UNKNOWN_TOPIC_OR_PARTITION when it does not exist and may not be created.
   */
  async getOrCreate(name: string, allowAutoCreate: boolean): Promise<TopicResult> {
    const existing = this.topics.get(name);
    if (existing !== undefined) return ok(existing.info);
    const nameProblem = topicNameProblem(name);
    if (nameProblem !== null) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
    if (!this.creating.has(name)) {
      if (!allowAutoCreate || !this.options.autoCreateTopics) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
      void this.create(name, -1, -1, [], false); // registers the creation in `creating` before it yields
    }
    // Every caller, the one that started the creation included, waits on the same promise, so
    // they resume in the order they asked (produces to a new topic keep their order).
    const result = await this.creating.get(name)!;
    if (result.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS) {
      const now = this.topics.get(name);
      if (now !== undefined) return ok(now.info);
    }
    return result;
  }

  /** Deletes a topic: its metadata first, then its logs stop (their objects are left to retention tooling). */
  async delete(name: string): Promise<TopicResult> {
    const entry = this.topics.get(name);
    if (entry === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
    this.deleting.add(name);
    try {
      await this.options.metadata.deleteTopic(name);
    } catch (err) {
      this.options.log.error({ err, topic: name }, "topic deletion failed");
      return fail(ErrorCode.UNKNOWN_SERVER_ERROR, "The metadata store refused the deletion");
    } finally {
      this.deleting.delete(name);
    }
    await this.forget(name, entry);
    this.options.log.info({ topic: name }, "topic deleted");
    return ok();
  }

  private async forget(name: string, entry: TopicEntry): Promise<void> {
    if (this.topics.get(name) !== entry) return;
    this.topics.delete(name);
    this.byId.delete(entry.info.topicId);
    await Promise.allSettled(entry.logs.map((l) => l.close()));
  }

  /**
   * Applies a topic change seen by the metadata watch, so topics created, changed or deleted
   * by anyone else (another broker, the operator, etcdctl) are served without a restart. Our
   * own writes come back too and are recognised by revision.
   */
  applyTopicEvent(event: TopicEvent): void {
    if (this.closed) return;
    this.oneAtATime(event.topic, () => this.syncTopic(event)).catch((err: unknown) =>
      this.options.log.error({ err, topic: event.topic, event: event.type }, "could not apply a topic change from the metadata store"),
    );
  }

  private async syncTopic(event: TopicEvent): Promise<void> {
    const { log } = this.options;
    const entry = this.topics.get(event.topic);
    if (event.type === "deleted") {
      if (entry === undefined || this.deleting.has(event.topic) || event.revision <= entry.revision) return;
      await this.forget(event.topic, entry);
      log.info({ topic: event.topic }, "topic deleted in the metadata store by another writer");
      return;
    }
    if (entry === undefined) {
      if (this.creating.has(event.topic)) return; // our own creation loads it
      await this.load(event.config, event.revision);
      log.info({ topic: event.topic, partitions: event.config.partitions }, "topic created in the metadata store by another writer");
      return;
    }
    if (event.revision <= entry.revision) return;
    if (event.config.topicId !== entry.config.topicId) {
      // Deleted and created again while we were not looking: start over.
      await this.forget(event.topic, entry);
      await this.load(event.config, event.revision);
      return;
    }
    await this.openPartitions(entry, event.config.partitions);
    this.setConfig(entry, event.config, event.revision);
    log.info({ topic: event.topic, partitions: event.config.partitions }, "topic changed in the metadata store by another writer");
  }

  /**
   * Compares the topics with the metadata store and applies what differs, as watch events would.
   * The watch normally delivers every change; this catches what it cannot (etcd compacted the
   * history a watch needed while it was disconnected). Only topics known before the listing
   * started can be found deleted, so a topic created meanwhile is never dropped.
   */
  async resync(): Promise<void> {
    if (this.closed) return;
    const before = new Map([...this.topics].map(([name, entry]) => [name, entry]));
    const stored = await this.options.metadata.listTopics();
    const names = new Set<string>();
    for (const { value, revision } of stored) {
      names.add(value.name);
      const entry = this.topics.get(value.name);
      if (entry === undefined || revision > entry.revision) this.applyTopicEvent({ type: entry === undefined ? "created" : "changed", topic: value.name, config: value, revision });
    }
    for (const [name, entry] of before) {
      if (!names.has(name) && this.topics.get(name) === entry) this.applyTopicEvent({ type: "deleted", topic: name, revision: Number.MAX_SAFE_INTEGER });
    }
  }

  /**
   * Reopens a fenced partition from the metadata store, retrying with backoff while the store
   * does not answer. Meanwhile produces to it get NOT_LEADER_OR_FOLLOWER (retriable) and fetches
   * keep reading the committed data of the fenced log.
   */
  recoverPartition(topic: string, partition: number): void {
    const id = `${topic}\0${partition}`;
    if (this.recovering.has(id) || this.closed) return;
    this.recovering.add(id);
    void this.reopen(topic, partition).finally(() => this.recovering.delete(id));
  }

  private async reopen(topic: string, partition: number): Promise<void> {
    const { log, metadata } = this.options;
    for (let attempt = 0; !this.closed; attempt++) {
      const entry = this.topics.get(topic);
      const old = entry?.logs[partition];
      if (entry === undefined || old === undefined || !old.fenced) return;
      try {
        const state = await metadata.getPartitionState(topic, partition);
        if (state === null) throw new Error(`no state for ${topic}-${partition}`);
        const fresh = await this.openLog(state.value, state.revision, entry.info.configs);
        if (this.closed || entry.logs[partition] !== old) {
          await fresh.close();
          return;
        }
        entry.logs[partition] = fresh;
        entry.epochs[partition] = state.value.leaderEpoch;
        void old.close().catch(() => undefined);
        log.info({ topic, partition, highWatermark: String(fresh.highWatermark), attempt }, "fenced partition reopened from the metadata store");
        return;
      } catch (err) {
        log.warn({ err, topic, partition, attempt }, "cannot reopen a fenced partition yet; retrying");
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 200 * 2 ** Math.min(attempt, 5))));
      }
    }
  }

  /** Grows a topic to `count` partitions (CreatePartitions). */
  addPartitions(name: string, count: number, validateOnly: boolean): Promise<TopicResult> {
    return this.oneAtATime(name, () => this.growPartitions(name, count, validateOnly));
  }

  /** Runs a change of a topic after the changes already queued for it (they write on its revision). */
  private oneAtATime<T>(name: string, change: () => Promise<T>): Promise<T> {
    const run = (this.changes.get(name) ?? Promise.resolve()).then(change, change);
    const settled = run.catch(() => undefined);
    this.changes.set(name, settled);
    void settled.then(() => {
      if (this.changes.get(name) === settled) this.changes.delete(name);
    });
    return run;
  }

  private async growPartitions(name: string, count: number, validateOnly: boolean): Promise<TopicResult> {
    const entry = this.topics.get(name);
    if (entry === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
    const current = entry.info.partitionCount;
    if (count < current) return fail(ErrorCode.INVALID_PARTITIONS, `Topic currently has ${current} partitions, which is higher than the requested ${count}.`);
    if (count === current) return fail(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partitions.`);
    if (validateOnly) return ok(entry.info);
    try {
      const grown = await this.options.metadata.addPartitions(name, count, entry.revision);
      await this.openPartitions(entry, count);
      this.setConfig(entry, grown.value, grown.revision);
      return ok(entry.info);
    } catch (err) {
      this.options.log.error({ err, topic: name }, "adding partitions failed");
      return fail(ErrorCode.UNKNOWN_SERVER_ERROR, "The metadata store refused the new partitions");
    }
  }

  /** Replaces a topic's config overrides (after validation by the caller). */
  setConfigs(name: string, configs: Record<string, string>): Promise<TopicResult> {
    return this.oneAtATime(name, () => this.writeConfigs(name, configs));
  }

  private async writeConfigs(name: string, configs: Record<string, string>): Promise<TopicResult> {
    const entry = this.topics.get(name);
    if (entry === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
    const next: TopicConfig = {
      ...entry.config,
      config: { ...configs },
      retentionMs: BigInt(configs["retention.ms"] ?? "-1"),
      retentionBytes: BigInt(configs["retention.bytes"] ?? "-1"),
    };
    try {
      this.setConfig(entry, next, await this.options.metadata.updateTopicConfig(next, entry.revision));
      return ok(entry.info);
    } catch (err) {
      this.options.log.error({ err, topic: name }, "config update failed");
      return fail(ErrorCode.UNKNOWN_SERVER_ERROR, "The metadata store refused the config change");
    }
  }

  /** Runs retention on every partition: whole segments past retention.ms / retention.bytes. */
  async enforceRetention(nowMs: number): Promise<number> {
    let deleted = 0;
    for (const entry of this.topics.values()) {
      const retentionMs = Number(entry.info.configs["retention.ms"] ?? "-1");
      const retentionBytes = Number(entry.info.configs["retention.bytes"] ?? "-1");
      if (retentionMs < 0 && retentionBytes < 0) continue;
      for (const log of entry.logs) {
        try {
          const result = await log.enforceRetention({ retentionMs, retentionBytes, nowMs });
          deleted += result.deletedSegments.length;
        } catch (err) {
          this.options.log.warn({ err, topic: entry.info.name, partition: log.partition }, "retention failed");
        }
      }
    }
    return deleted;
  }

  /** Flushes every partition's buffer (shutdown, TriggerFlush). */
  async flushAll(): Promise<void> {
    const logs = [...this.topics.values()].flatMap((e) => e.logs);
    await Promise.allSettled(logs.map((l) => l.flush()));
  }

  /** Flushes and closes every partition log. */
  async close(): Promise<void> {
    this.closed = true;
    this.sweeper.close();
    const logs = [...this.topics.values()].flatMap((e) => e.logs);
    await Promise.allSettled(logs.map((l) => l.close()));
  }
}

function segmentBytes(configs: Readonly<Record<string, string>>): number | undefined {
  const v = configs["segment.bytes"];
  return v === undefined ? undefined : Number(v);
}
