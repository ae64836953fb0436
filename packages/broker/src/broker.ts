import { hostname } from "node:os";
import { createGroupCoordinator, type GroupCoordinator } from "@kafscale/group-coordinator";
import { createMetadataStore, type KvStore, type MetadataStore, type Unsubscribe } from "@kafscale/metadata";
import { createSegmentCache, type ObjectStore } from "@kafscale/storage";
import { BrokerRegistration } from "./backends/broker-registration.js";
import { openMetadataKv, openSegmentStore } from "./backends/open-backends.js";
import type { EtcdSettings, S3Settings } from "./backends/settings.js";
import { runStartupChecks, StartupCheckError } from "./backends/startup-checks.js";
import { allHandlers } from "./handlers/all-handlers.js";
import { HandlerRegistry } from "./handlers/handler-registry.js";
import { MetadataGroupStore } from "./groups/metadata-group-store.js";
import type { Logger } from "./logger.js";
import { KafkaListener } from "./server/kafka-listener.js";
import type { BrokerServices } from "./services.js";
import { TopicManager } from "./topics/topic-manager.js";

/** How often topics are compared with the metadata store, besides the watch (see TopicManager.resync). */
const TOPIC_RESYNC_INTERVAL_MS = 60_000;

/** Everything the engine needs; the app fills it from KAFSCALE_* variables and flags. */
export interface BrokerConfig {
  nodeId: number;
  clusterId: string;
  listenHost: string;
  /** 0 picks a free port (tests). */
  port: number;
  advertisedHost: string;
  /** Defaults to the bound port. */
  advertisedPort?: number;
  /** Segment store when `s3` is unset: `file:///path` or `memory://`. */
  storageUrl: string;
  /** Metadata store when `etcd` is unset: `file:///path` or `memory://`. */
  metadataUrl: string;
  /** Segments in S3 (wins over `storageUrl`). */
  s3?: S3Settings;
  /** Metadata in etcd (wins over `metadataUrl`). */
  etcd?: EtcdSettings;
  /** TTL of the broker registration's lease. */
  brokerLeaseTtlMs: number;
  namespace: string;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  flushBytes: number;
  flushAgeMs: number;
  cacheBytes: number;
  maxFrameBytes: number;
  maxInFlightBytes: number;
  idleTimeoutMs: number;
  maxConnections: number;
  groupInitialRebalanceDelayMs: number;
  retentionMs: number;
  retentionBytes: number;
  retentionCheckIntervalMs: number;
  shutdownTimeoutMs: number;
}

export const DEFAULT_BROKER_CONFIG: BrokerConfig = {
  nodeId: 0,
  clusterId: "kafscale",
  listenHost: "0.0.0.0",
  port: 9092,
  advertisedHost: "localhost",
  storageUrl: "memory://",
  metadataUrl: "memory://",
  namespace: "default",
  autoCreateTopics: true,
  defaultPartitions: 1,
  flushBytes: 4 * 1024 * 1024,
  flushAgeMs: 10,
  cacheBytes: 256 * 1024 * 1024,
  maxFrameBytes: 100 * 1024 * 1024,
  maxInFlightBytes: 64 * 1024 * 1024,
  idleTimeoutMs: 600_000,
  maxConnections: 10_000,
  groupInitialRebalanceDelayMs: 3000,
  retentionMs: 7 * 24 * 3600 * 1000,
  retentionBytes: -1,
  retentionCheckIntervalMs: 300_000,
  shutdownTimeoutMs: 30_000,
  brokerLeaseTtlMs: 10_000,
};

/**
 * A running broker: stores opened, topics restored, groups loaded, listener bound. `stop()` is
 * the two-phase shutdown: stop accepting and reading, answer what was received and flush every
 * buffer, then close connections and stores.
 */
export class Broker {
  private retentionTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly config: BrokerConfig,
    readonly port: number,
    readonly services: BrokerServices,
    private readonly listener: KafkaListener,
    private readonly kv: KvStore,
    private readonly objects: ObjectStore,
    private readonly log: Logger,
    private readonly registration: BrokerRegistration,
    private readonly unwatchTopics: Unsubscribe,
  ) {}

  /**
   * Opens the stores the configuration names (or takes `stores`, which tests use to share a
   * store with another writer; the broker closes them when it stops), checks them, restores
   * topics and groups, registers the broker and starts listening.
   */
  static async start(config: BrokerConfig, log: Logger, stores: { objects?: ObjectStore; kv?: KvStore } = {}): Promise<Broker> {
    let objects: ObjectStore;
    try {
      objects = stores.objects ?? (await openSegmentStore(config, log));
    } catch (err) {
      throw new StartupCheckError(`cannot open the segment store (${config.storageUrl}): ${(err as Error).message}`, { cause: err });
    }
    let kv: KvStore;
    try {
      kv = stores.kv ?? (await openMetadataKv(config, log));
    } catch (err) {
      await objects.close();
      throw new StartupCheckError(`cannot open the metadata store (${config.metadataUrl}): ${(err as Error).message}`, { cause: err });
    }
    const metadata: MetadataStore = createMetadataStore(kv, { logger: log });
    try {
      await runStartupChecks(metadata, objects, { metadata: config.metadataUrl, segments: config.storageUrl, namespace: config.namespace });
    } catch (err) {
      await Promise.allSettled([kv.close(), objects.close()]);
      throw err;
    }
    const topics = new TopicManager({
      metadata,
      objects,
      cache: createSegmentCache({ maxBytes: config.cacheBytes }),
      namespace: config.namespace,
      nodeId: config.nodeId,
      flushBytes: config.flushBytes,
      flushAgeMs: config.flushAgeMs,
      autoCreateTopics: config.autoCreateTopics,
      defaultPartitions: config.defaultPartitions,
      defaultRetentionMs: config.retentionMs,
      defaultRetentionBytes: config.retentionBytes,
      log: log.child({ component: "topics" }),
    });
    await topics.start();
    const unwatchTopics = await metadata.watchTopics((event) => topics.applyTopicEvent(event));
    const groups: GroupCoordinator = createGroupCoordinator({
      store: new MetadataGroupStore(metadata),
      logger: log.child({ component: "groups" }),
      initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
      partitionExists: (topic, p) => topics.log(topic, p) !== undefined,
    });
    await groups.start();

    const node = { nodeId: config.nodeId, host: config.advertisedHost, port: config.advertisedPort ?? config.port, rack: null };
    const services: BrokerServices = {
      node,
      settings: {
        clusterId: config.clusterId,
        maxProduceWaitMs: 120_000,
        maxFetchWaitMs: 30_000,
        brokerConfigs: brokerConfigEntries(config),
      },
      topics,
      groups,
      log,
    };
    const registry = new HandlerRegistry([]);
    for (const h of allHandlers(services, registry)) registry.register(h);
    const listener = new KafkaListener(
      {
        host: config.listenHost,
        port: config.port,
        maxFrameBytes: config.maxFrameBytes,
        maxInFlightBytes: config.maxInFlightBytes,
        idleTimeoutMs: config.idleTimeoutMs,
        maxConnections: config.maxConnections,
      },
      registry,
      log.child({ component: "kafka" }),
    );
    const port = await listener.listen();
    if (config.advertisedPort === undefined) node.port = port;
    const registration = new BrokerRegistration(metadata, node, config.brokerLeaseTtlMs, log.child({ component: "registration" }));
    await registration.start();
    const broker = new Broker(config, port, services, listener, kv, objects, log, registration, unwatchTopics);
    broker.retentionTimer = setInterval(() => void topics.enforceRetention(Date.now()), config.retentionCheckIntervalMs);
    broker.retentionTimer.unref();
    broker.resyncTimer = setInterval(() => {
      topics.resync().catch((err: unknown) => log.warn({ err }, "topic resync with the metadata store failed"));
    }, TOPIC_RESYNC_INTERVAL_MS);
    broker.resyncTimer.unref();
    log.info({ port, advertised: `${node.host}:${node.port}`, nodeId: config.nodeId, host: hostname() }, "broker started");
    return broker;
  }

  /** Two-phase shutdown; safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const started = Date.now();
    clearInterval(this.retentionTimer);
    clearInterval(this.resyncTimer);
    this.log.info({}, "broker stopping: no new connections or requests");
    // Keep flushing while requests drain: answers to produces wait on their flush, so they are
    // all answered however long the flush age is.
    let drained = false;
    const draining = this.listener.stopAccepting(this.config.shutdownTimeoutMs).then(() => {
      drained = true;
    });
    while (!drained) {
      await this.services.topics.flushAll();
      await Promise.race([draining, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
    await this.services.topics.flushAll();
    this.services.groups.close();
    this.listener.closeAll();
    await this.unwatchTopics().catch(() => undefined);
    await this.services.topics.close();
    await this.registration.close();
    await this.kv.close();
    await this.objects.close();
    this.log.info({ ms: Date.now() - started }, "broker stopped");
  }
}

function brokerConfigEntries(config: BrokerConfig): ReadonlyMap<string, string> {
  return new Map([
    ["broker.id", String(config.nodeId)],
    ["auto.create.topics.enable", String(config.autoCreateTopics)],
    ["num.partitions", String(config.defaultPartitions)],
    ["log.retention.ms", String(config.retentionMs)],
    ["log.retention.bytes", String(config.retentionBytes)],
    ["socket.request.max.bytes", String(config.maxFrameBytes)],
    ["connections.max.idle.ms", String(config.idleTimeoutMs)],
    ["group.initial.rebalance.delay.ms", String(config.groupInitialRebalanceDelayMs)],
    ["default.replication.factor", "1"],
    ["min.insync.replicas", "1"],
  ]);
}
