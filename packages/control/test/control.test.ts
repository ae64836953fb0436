import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import { Http2SessionManager, connectNodeAdapter, createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AssignmentEventType,
  AssignmentStream,
  BrokerControl,
  PartitionServingState,
  TopicPartitionSchema,
  WatchAssignmentsResponseSchema,
} from "../src/index.js";

const tp = (topic: string, partition: number) => create(TopicPartitionSchema, { topic, partition });

/** A fake broker: enough behaviour to see requests arrive and responses come back. */
const brokerControl: Partial<ServiceImpl<typeof BrokerControl>> = {
  getStatus: () => ({
    brokerId: 7,
    version: "0.1.0",
    ready: true,
    partitions: [
      {
        topic: "orders",
        partition: 0,
        leader: true,
        state: PartitionServingState.ONLINE,
        logStartOffset: 10n,
        logEndOffset: 25n,
        highWatermark: 20n,
      },
    ],
  }),
  drainPartitions: (req) => ({
    drained: req.partitions.filter((p) => p.partition % 2 === 0),
    pending: req.deadlineSeconds === 0 ? req.partitions.filter((p) => p.partition % 2 === 1) : [],
  }),
  async streamMetrics(requests) {
    let acceptedSamples = 0n;
    for await (const req of requests) acceptedSamples += BigInt(req.samples.length);
    return { acceptedSamples };
  },
  // triggerFlush is left out on purpose: the router answers it with Unimplemented.
};

const assignmentStream: ServiceImpl<typeof AssignmentStream> = {
  async *watchAssignments(req) {
    for (const [type, partition] of [
      [AssignmentEventType.ASSIGNED, 0],
      [AssignmentEventType.ASSIGNED, 1],
      [AssignmentEventType.REVOKED, 0],
    ] as const) {
      yield create(WatchAssignmentsResponseSchema, {
        type,
        partition: tp(`broker-${req.brokerId}`, partition),
        epoch: partition + 1,
        assignedAt: timestampFromMs(1_700_000_000_000),
      });
    }
  },
};

const routes = (router: ConnectRouter) => {
  router.service(BrokerControl, brokerControl);
  router.service(AssignmentStream, assignmentStream);
};

describe("BrokerControl over an in-memory Connect router", () => {
  const transport = createRouterTransport(routes);
  const client = createClient(BrokerControl, transport);

  it("answers GetStatus", async () => {
    const res = await client.getStatus({});
    expect([res.brokerId, res.version, res.ready]).toEqual([7, "0.1.0", true]);
    expect(res.partitions).toHaveLength(1);
    const p = res.partitions[0];
    expect([p?.topic, p?.partition, p?.leader, p?.state]).toEqual(["orders", 0, true, PartitionServingState.ONLINE]);
    expect([p?.logStartOffset, p?.logEndOffset, p?.highWatermark]).toEqual([10n, 25n, 20n]);
  });

  it("carries DrainPartitions request fields to the server", async () => {
    const partitions = [tp("a", 0), tp("a", 1), tp("b", 2)];
    const res = await client.drainPartitions({ partitions, reason: "scale-down", deadlineSeconds: 0 });
    expect(res.drained.map((p) => `${p.topic}-${p.partition}`)).toEqual(["a-0", "b-2"]);
    expect(res.pending.map((p) => `${p.topic}-${p.partition}`)).toEqual(["a-1"]);
  });

  it("answers an unimplemented method with Code.Unimplemented", async () => {
    const err = await client.triggerFlush({ allAssigned: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.Unimplemented);
  });

  it("counts the samples of a StreamMetrics client stream", async () => {
    async function* samples() {
      yield { samples: [{ name: "kafscale_produce_bytes_total", value: 1, labels: { topic: "a" } }] };
      yield { samples: [{ name: "a", value: 2 }, { name: "b", value: 3 }] };
    }
    const res = await client.streamMetrics(samples());
    expect(res.acceptedSamples).toBe(3n);
  });

  it("streams WatchAssignments events", async () => {
    const watch = createClient(AssignmentStream, transport);
    const events = [];
    for await (const ev of watch.watchAssignments({ brokerId: 4 })) events.push(ev);
    expect(events.map((e) => [e.type, e.partition?.topic, e.partition?.partition, e.epoch])).toEqual([
      [AssignmentEventType.ASSIGNED, "broker-4", 0, 1],
      [AssignmentEventType.ASSIGNED, "broker-4", 1, 2],
      [AssignmentEventType.REVOKED, "broker-4", 0, 1],
    ]);
  });
});

describe("BrokerControl over gRPC on an HTTP/2 server (connect-node)", () => {
  let server: http2.Http2Server;
  let sessions: Http2SessionManager;

  beforeAll(async () => {
    server = http2.createServer(connectNodeAdapter({ routes }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    sessions = new Http2SessionManager(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    sessions.abort(); // the client keeps its HTTP/2 session open otherwise, and close() would wait for it
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("answers GetStatus", async () => {
    const client = createClient(BrokerControl, createGrpcTransport({ baseUrl: sessions.authority, sessionManager: sessions }));
    const res = await client.getStatus({});
    expect([res.brokerId, res.ready, res.partitions[0]?.highWatermark]).toEqual([7, true, 20n]);
  });
});
