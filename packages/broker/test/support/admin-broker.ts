import { ApiKey, type ProduceResponse } from "@kafscale/protocol";
import { encodeBatch } from "@kafscale/protocol/records";
import { Broker, silentLogger, type BrokerConfig } from "../../src/index.js";
import { WireClient } from "./wire-client.js";
import { testBrokerConfig } from "./wire-broker.js";

export interface AdminTestBroker {
  broker: Broker;
  client: WireClient;
  port: number;
  stop(): Promise<void>;
}

/** A real broker on a free port with in-memory stores, and a client connected to it. */
export async function startAdminTestBroker(overrides: Partial<BrokerConfig> = {}): Promise<AdminTestBroker> {
  const broker = await Broker.start(testBrokerConfig(overrides), silentLogger);
  const client = await WireClient.connect(broker.port, "admin-test");
  return {
    broker,
    client,
    port: broker.port,
    async stop() {
      client.close();
      await broker.stop();
    },
  };
}

/**
 * Produces `batches` batches of `perBatch` records to one partition with Produce v9, acks -1
 * (each answered once durable), with timestamps `timestampMs`.
 */
export async function produceBatches(
  client: WireClient,
  topic: string,
  partition: number,
  batches: number,
  perBatch: number,
  timestampMs = Date.now(),
): Promise<ProduceResponse[]> {
  const responses: ProduceResponse[] = [];
  for (let b = 0; b < batches; b++) {
    const records = encodeBatch({
      baseOffset: 0n,
      baseTimestamp: BigInt(timestampMs),
      records: Array.from({ length: perBatch }, (_, i) => ({ offsetDelta: i, value: new TextEncoder().encode(`value-${b}-${i}`) })),
    });
    responses.push(
      await client.request(ApiKey.Produce, 9, {
        transactionalId: null,
        acks: -1,
        timeoutMs: 10_000,
        topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
      }),
    );
  }
  return responses;
}
