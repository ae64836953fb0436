import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { BrokerRegistrationSchema, isMetadataError, type BrokerRegistrationHandle, type MetadataStore } from "@kafscale/metadata";
import type { Logger } from "../logger.js";
import type { BrokerNode } from "../services.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Keeps this broker registered under `/kafscale/brokers/{id}` with a lease. A broker restarted
 * with the same id (after a crash, the old lease still alive) waits for the old registration to
 * expire, up to the TTL and a margin, instead of failing; a registration lost later (the lease
 * expired while the metadata store was unreachable) is made again in the background.
 */
export class BrokerRegistration {
  private handle: BrokerRegistrationHandle | undefined;
  private closed = false;
  private readonly startedAt = timestampNow();

  constructor(
    private readonly metadata: MetadataStore,
    private readonly node: BrokerNode,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {}

  /** Registers, waiting out a previous registration of the same id. */
  async start(): Promise<void> {
    const deadline = Date.now() + this.ttlMs + 5_000;
    let logged = false;
    for (;;) {
      try {
        this.handle = await this.register();
        return;
      } catch (err) {
        if (!isMetadataError(err, "BROKER_ID_IN_USE") || Date.now() > deadline) throw err;
        if (!logged) this.log.warn({ nodeId: this.node.nodeId, ttlMs: this.ttlMs }, "broker id is still registered (a previous process?): waiting for its lease to expire");
        logged = true;
        await sleep(Math.min(1_000, this.ttlMs / 4));
      }
    }
  }

  private register(): Promise<BrokerRegistrationHandle> {
    const registration = create(BrokerRegistrationSchema, {
      brokerId: this.node.nodeId,
      host: this.node.host,
      port: this.node.port,
      rack: this.node.rack ?? "",
      startedAt: this.startedAt,
      lastHeartbeat: timestampNow(),
    });
    return this.metadata.registerBroker(registration, this.ttlMs, { onLost: () => void this.reRegister() });
  }

  private async reRegister(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      await sleep(Math.min(10_000, 500 * 2 ** Math.min(attempt, 5)));
      if (this.closed) return;
      try {
        this.handle = await this.register();
        this.log.info({ nodeId: this.node.nodeId }, "broker registration restored");
        return;
      } catch (err) {
        this.log.warn({ err, nodeId: this.node.nodeId, attempt }, "broker registration failed; retrying");
      }
    }
  }

  /** Revokes the lease (deleting the registration). */
  async close(): Promise<void> {
    this.closed = true;
    await this.handle?.close().catch((err: unknown) => this.log.warn({ err }, "could not revoke the broker registration"));
  }
}
