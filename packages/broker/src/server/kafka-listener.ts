import { createServer, type Server, type Socket } from "node:net";
import type { HandlerRegistry } from "../handlers/handler-registry.js";
import type { Logger } from "../logger.js";
import { Connection, type ConnectionLimits, type ConnectionStats } from "./connection.js";

export interface KafkaListenerOptions extends ConnectionLimits {
  host: string;
  port: number;
  /** Connections beyond this are refused (closed at once, with a log line). */
  maxConnections: number;
}

/** The Kafka protocol listener: accepts connections and serves them with the handler registry. */
export class KafkaListener {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;

  constructor(
    private readonly options: KafkaListenerOptions,
    private readonly registry: HandlerRegistry,
    private readonly log: Logger,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off("error", reject);
        // Without a listener, a failed accept would be an uncaught 'error' event and take the
        // broker down; it is one client lost. (libuv absorbs EMFILE and ENFILE with a reserved
        // descriptor, dropping the connection silently; ENOBUFS, ENOMEM and the like reach here.)
        this.server.on("error", (err) => this.log.error({ err }, "accepting a connection failed"));
        const address = this.server.address();
        resolve(typeof address === "object" && address !== null ? address.port : this.options.port);
      });
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** What every open connection is doing (back-pressure, bytes in flight). */
  connectionStats(): ConnectionStats[] {
    return [...this.connections].map((c) => c.stats());
  }

  private accept(socket: Socket): void {
    const client = `${socket.remoteAddress}:${socket.remotePort}`;
    if (this.connections.size >= this.options.maxConnections) {
      this.log.warn({ client, maxConnections: this.options.maxConnections }, "refusing connection: too many connections");
      socket.destroy();
      return;
    }
    const id = this.nextConnectionId++;
    const log = this.log.child({ conn: id, client });
    const connection = new Connection(socket, id, this.registry, this.options, log, (c) => this.connections.delete(c));
    this.connections.add(connection);
  }

  /**
   * Shutdown, first phase: stop accepting and stop reading, then wait (up to `timeoutMs`) for
   * every request already received to be answered.
   */
  async stopAccepting(timeoutMs: number): Promise<void> {
    this.server.close();
    for (const c of this.connections) c.stopReading();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all([...this.connections].map((c) => c.drained())), timeout]);
    clearTimeout(timer);
  }

  /** Shutdown, last phase: closes every connection, letting answers already written reach the client. */
  closeAll(): void {
    for (const c of [...this.connections]) c.close("broker stopping", true);
  }
}
