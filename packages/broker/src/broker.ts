import { hostname } from "node:os";
import { createGroupCoordinator, type GroupCoordinator } from "@kafscale/group-coordinator";
import { createMetadataStore, openKvStore, type KvStore, type MetadataStore } from "@kafscale/metadata";
import { createSegmentCache, openObjectStore, type ObjectStore } from "@kafscale/storage";
import { allHandlers } from "./handlers/all-handlers.js";
import { HandlerRegistry } from "./handlers/handler-registry.js";
import { MetadataGroupStore } from "./groups/metadata-group-store.js";
import type { Logger } from "./logger.js";
import { KafkaListener } from "./server/kafka-listener.js";
import type { BrokerServices } from "./services.js";
import { TopicManager } from "./topics/topic-manager.js";

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
  storageUrl: string;
  metadataUrl: string;
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
};

/**
 * A running broker: stores opened, topics restored, groups loaded, listener bound. `stop()` is
 * the two-phase shutdown: stop accepting and reading, answer what was received and flush every
 * buffer, then close connections and stores.
 */
export class Broker {
  private retentionTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly config: BrokerConfig,
    readonly port: number,
    readonly services: BrokerServices,
    private readonly listener: KafkaListener,
    private readonly kv: KvStore,
    private readonly objects: ObjectStore,
    private readonly log: Logger,
  ) {}

  static async start(config: BrokerConfig, log: Logger): Promise<Broker> {
    const objects = await openObjectStore(config.storageUrl);
    const kv = await openKvStore(config.metadataUrl, { logger: log });
    const metadata: MetadataStore = createMetadataStore(kv, { logger: log });
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
    const broker = new Broker(config, port, services, listener, kv, objects, log);
    broker.retentionTimer = setInterval(() => void topics.enforceRetention(Date.now()), config.retentionCheckIntervalMs);
    broker.retentionTimer.unref();
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
    await this.services.topics.close();
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
