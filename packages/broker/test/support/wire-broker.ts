import { Broker, DEFAULT_BROKER_CONFIG, type BrokerConfig } from "../../src/broker.js";
import type { Logger } from "../../src/logger.js";
import type { ConnectionStats } from "../../src/server/connection.js";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** One captured log line: the child bindings and the line's own fields, merged as pino would print them. */
export interface LogLine {
  level: LogLevel;
  msg: string;
  fields: Record<string, unknown>;
}

/** A Logger that keeps every line (debug included) so tests can count what a connection logged. */
export class CapturingLogger implements Logger {
  constructor(
    readonly lines: LogLine[] = [],
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  debug(obj: object, msg = ""): void {
    this.push("debug", obj, msg);
  }
  info(obj: object, msg = ""): void {
    this.push("info", obj, msg);
  }
  warn(obj: object, msg = ""): void {
    this.push("warn", obj, msg);
  }
  error(obj: object, msg = ""): void {
    this.push("error", obj, msg);
  }
  child(bindings: Record<string, unknown>): Logger {
    return new CapturingLogger(this.lines, { ...this.bindings, ...bindings });
  }

  private push(level: LogLevel, obj: object, msg: string): void {
    this.lines.push({ level, msg, fields: { ...this.bindings, ...obj } });
  }

  /**
   * The lines logged about one client connection, found by the `client` binding the listener
   * gives each connection ("127.0.0.1:<the client's local port>").
   */
  forClient(localPort: number, host = "127.0.0.1"): LogLine[] {
    const client = `${host}:${localPort}`;
    return this.lines.filter((l) => l.fields["client"] === client);
  }

  atLeast(level: LogLevel): LogLine[] {
    const rank = LEVELS.indexOf(level);
    return this.lines.filter((l) => LEVELS.indexOf(l.level) >= rank);
  }
}

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

export interface WireBroker {
  broker: Broker;
  port: number;
  logs: CapturingLogger;
  /** Per-connection state from the broker's listener (back-pressure, bytes in flight). */
  connections(): ConnectionStats[];
  stop(): Promise<void>;
}

/** A test broker's configuration: a free loopback port and memory:// stores, then `overrides`. */
export function testBrokerConfig(overrides: Partial<BrokerConfig> = {}): BrokerConfig {
  return {
    ...DEFAULT_BROKER_CONFIG,
    port: 0,
    listenHost: "127.0.0.1",
    advertisedHost: "127.0.0.1",
    storageUrl: "memory://",
    metadataUrl: "memory://",
    ...overrides,
  };
}

/** A broker on a free loopback port with memory:// storage and metadata, logging into a CapturingLogger. */
export async function startWireBroker(overrides: Partial<BrokerConfig> = {}): Promise<WireBroker> {
  const logs = new CapturingLogger();
  const broker = await Broker.start(testBrokerConfig(overrides), logs);
  return {
    broker,
    port: broker.port,
    logs,
    // The listener is private to the broker; tests read its stats through TypeScript's index escape.
    connections: () => broker["listener"].connectionStats(),
    stop: () => broker.stop(),
  };
}
