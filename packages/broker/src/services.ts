import type { Logger } from "./logger.js";
import type { TopicManager } from "./topics/topic-manager.js";
import type { GroupCoordinator } from "@kafscale/group-coordinator";

/** This broker as clients see it. */
export interface BrokerNode {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

/** Limits and behaviour the handlers need from the configuration. */
export interface HandlerSettings {
  clusterId: string;
  /** Longest a produce waits for its flush when the client's timeout is longer. */
  maxProduceWaitMs: number;
  /** Longest a fetch long-polls, whatever MaxWaitMs the client asks for. */
  maxFetchWaitMs: number;
  /** Read-only broker configs shown by DescribeConfigs for the broker resource. */
  brokerConfigs: ReadonlyMap<string, string>;
}

/** What the handlers are given: this broker, its topics and partitions, its groups. */
export interface BrokerServices {
  node: BrokerNode;
  settings: HandlerSettings;
  topics: TopicManager;
  groups: GroupCoordinator;
  log: Logger;
}
