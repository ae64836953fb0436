import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import {
  ApiKey,
  ErrorCode,
  encodeRequest,
  encodeRequestFrame,
  type ApiVersionsResponse,
  type FetchResponse,
  type ListOffsetsResponse,
  type MetadataResponse,
  type OffsetCommitResponse,
  type OffsetFetchResponse,
  type ProduceResponse,
} from "@kafscale/protocol";
import { decodeBatch } from "@kafscale/protocol/records";
import { afterEach, describe, expect, it } from "vitest";
import type { BrokerConfig } from "../src/broker.js";
import { REQUEST_OVERHEAD_BYTES, type ConnectionStats } from "../src/server/connection.js";
import { startWireBroker, type WireBroker } from "./support/wire-broker.js";
import { WireClient, handMadeFrame, type PipelinedRequest } from "./support/wire-client.js";
import { apiVersionsBody, fetchBody, listOffsetsBody, metadataBody, produceBody, recordBatch } from "./support/wire-requests.js";

const running: WireBroker[] = [];
const clients: WireClient[] = [];

async function broker(overrides: Partial<BrokerConfig> = {}): Promise<WireBroker> {
  const b = await startWireBroker(overrides);
  running.push(b);
  return b;
}

async function client(b: WireBroker): Promise<WireClient> {
  const c = await WireClient.connect(b.port);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(running.splice(0).map((b) => b.stop()));
});

/** Polls `probe` every 10 ms until it returns true; fails after `ms`. */
async function until(probe: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Resolves with how long the connection took to close, or rejects after `ms`. */
async function closesWithin(c: WireClient, ms: number): Promise<number> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`connection still open after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([c.closed, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return Date.now() - started;
}

async function createTopic(c: WireClient, name: string): Promise<void> {
  const m = await c.request(ApiKey.Metadata, 12, metadataBody([name]));
  expect(m.topics.map((t) => [t.name, t.errorCode])).toEqual([[name, ErrorCode.NONE]]);
}

async function latestOffset(c: WireClient, topic: string): Promise<bigint | undefined> {
  const r = await c.request(ApiKey.ListOffsets, 7, listOffsetsBody(topic));
  return r.topics[0]!.partitions[0]!.offset;
}

describe("Connection: pipelining", () => {
  it("answers 50 pipelined requests of mixed APIs in request order, with their correlation ids", async () => {
    const b = await broker();
    const c = await client(b);
    const topic = "pipelined";
    // Four APIs, each at an old (non-flexible) and a new (flexible) version.
    const kinds: PipelinedRequest[] = [
      { apiKey: ApiKey.ApiVersions, version: 3, body: apiVersionsBody() },
      { apiKey: ApiKey.Metadata, version: 12, body: metadataBody([topic]) },
      { apiKey: ApiKey.Produce, version: 9, body: produceBody(topic, -1, recordBatch("v9")) },
      { apiKey: ApiKey.ListOffsets, version: 7, body: listOffsetsBody(topic) },
      { apiKey: ApiKey.ApiVersions, version: 0, body: {} },
      { apiKey: ApiKey.Metadata, version: 1, body: metadataBody([topic]) },
      { apiKey: ApiKey.Produce, version: 3, body: produceBody(topic, -1, recordBatch("v3")) },
      { apiKey: ApiKey.ListOffsets, version: 1, body: listOffsetsBody(topic) },
    ];
    const requests = Array.from({ length: 50 }, (_, i) => kinds[i % kinds.length]!);
    const first = c.peekCorrelationId();

    const answers = await Promise.all(c.pipeline(requests));

    expect(c.problems).toEqual([]);
    expect(c.arrivals).toEqual(requests.map((_, i) => first + i));
    // Requests are processed in order: each produce takes the next offset, and each ListOffsets
    // sees exactly the produces sent before it.
    let produces = 0;
    answers.forEach((answer, i) => {
      const { apiKey } = requests[i]!;
      if (apiKey === ApiKey.ApiVersions) expect((answer as ApiVersionsResponse).errorCode).toBe(ErrorCode.NONE);
      if (apiKey === ApiKey.Metadata) expect((answer as MetadataResponse).topics[0]!.errorCode).toBe(ErrorCode.NONE);
      if (apiKey === ApiKey.Produce) {
        expect((answer as ProduceResponse).responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: BigInt(produces++) });
      }
      if (apiKey === ApiKey.ListOffsets) {
        expect((answer as ListOffsetsResponse).topics[0]!.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, offset: BigInt(produces) });
      }
    });
    expect(produces).toBe(requests.filter((r) => r.apiKey === ApiKey.Produce).length);
    expect(b.logs.atLeast("warn")).toEqual([]);
  });

  it("sends nothing for a produce with acks=0 and answers the next request on the connection", async () => {
    const b = await broker();
    const c = await client(b);
    const topic = "acks-zero";
    const first = c.peekCorrelationId();

    const [silent, versions] = c.pipeline([
      { apiKey: ApiKey.Produce, version: 9, body: produceBody(topic, 0, recordBatch("fire-and-forget")), noResponse: true },
      { apiKey: ApiKey.ApiVersions, version: 3, body: apiVersionsBody() },
    ]);
    expect(await silent).toBeUndefined();
    expect(((await versions) as ApiVersionsResponse).errorCode).toBe(ErrorCode.NONE);
    // Answers leave in request order, so an answer to the acks=0 produce would have come first.
    expect(c.arrivals).toEqual([first + 1]);

    // The acks=0 batch was stored: the next produce lands after it, and the data is visible.
    const next = await c.request(ApiKey.Produce, 9, produceBody(topic, -1, recordBatch("acknowledged")));
    expect(next.responses[0]!.partitionResponses[0]).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 1n });
    expect(await latestOffset(c, topic)).toBe(2n);
    const fetched: FetchResponse = await c.request(ApiKey.Fetch, 12, fetchBody(topic, 0n));
    const records = fetched.responses[0]!.partitions[0]!.records!;
    expect(decodeBatch(records).records.map((r) => Buffer.from(r.value!).toString())).toEqual(["fire-and-forget-0"]);
    expect(c.problems).toEqual([]);
    expect(c.arrivals).not.toContain(first);
  });
});

describe("Connection: processing order", () => {
  it("processes pipelined requests in the order sent: an OffsetFetch sees the OffsetCommit before it", async () => {
    const b = await broker();
    const c = await client(b);
    await createTopic(c, "committed");
    const partition = { partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: -1, committedMetadata: "m" };
    const [commit, fetched] = c.pipeline([
      { apiKey: ApiKey.OffsetCommit, version: 8, body: { groupId: "ordered", generationIdOrMemberEpoch: -1, memberId: "", groupInstanceId: null, topics: [{ name: "committed", partitions: [partition] }] } },
      { apiKey: ApiKey.OffsetFetch, version: 7, body: { groupId: "ordered", topics: [{ name: "committed", partitionIndexes: [0] }], requireStable: false } },
    ]);
    expect(((await commit) as OffsetCommitResponse).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(((await fetched) as OffsetFetchResponse).topics![0]!.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, committedOffset: 42n });
  });

  it("overlaps a run of pipelined produces: all answered after one flush, offsets in request order", async () => {
    const flushAgeMs = 400;
    const b = await broker({ flushAgeMs });
    const c = await client(b);
    await createTopic(c, "overlapping");
    const started = Date.now();
    const answers = (await Promise.all(
      c.pipeline(Array.from({ length: 5 }, (_, i): PipelinedRequest => ({ apiKey: ApiKey.Produce, version: 9, body: produceBody("overlapping", -1, recordBatch(`o${i}`)) }))),
    )) as ProduceResponse[];
    // One request after the other would take five flushes (2 s).
    expect(Date.now() - started).toBeLessThan(3 * flushAgeMs);
    expect(answers.map((a) => a.responses[0]!.partitionResponses[0]!.baseOffset)).toEqual([0n, 1n, 2n, 3n, 4n]);
  });

  it("bounds a flood of tiny requests queued behind a slow one by count, and answers them all in order", async () => {
    const maxInFlightBytes = 1024 * 1024;
    const b = await broker({ maxInFlightBytes });
    const c = await client(b);
    await createTopic(c, "empty");
    const n = 20_000;
    const first = c.peekCorrelationId();
    let maxPending = 0;
    const sampler = setInterval(() => {
      for (const s of b.connections()) maxPending = Math.max(maxPending, s.pendingRequests);
    }, 2);
    try {
      // A long poll holds the line for 300 ms; 20,000 Metadata requests (18 bytes each) wait behind it.
      const answers = c.pipeline([
        { apiKey: ApiKey.Fetch, version: 12, body: fetchBody("empty", 0n, 300) },
        ...Array.from({ length: n }, (): PipelinedRequest => ({ apiKey: ApiKey.Metadata, version: 1, body: { topics: [] } })),
      ]);
      await Promise.all(answers);
    } finally {
      clearInterval(sampler);
    }
    expect(c.arrivals.filter((id) => id >= first)).toEqual(Array.from({ length: n + 1 }, (_, i) => first + i));
    // 18 bytes each, but counted as 1 KiB: about 1,000 fit, plus what one 64 KiB read holds.
    expect(maxPending).toBeGreaterThan(900);
    expect(maxPending).toBeLessThanOrEqual(maxInFlightBytes / REQUEST_OVERHEAD_BYTES + Math.ceil((64 * 1024) / 18) + 1);
  });
});

describe("Connection: ApiVersions", () => {
  it("answers a version it does not know with v0, UNSUPPORTED_VERSION and the supported ranges, and keeps the connection", async () => {
    const b = await broker();
    const c = await client(b);
    // A future client: ApiVersions v99 with a flexible (v2) header and a v4-shaped body.
    const answer = c.expect(7, ApiKey.ApiVersions, 0) as Promise<ApiVersionsResponse>;
    c.writeRaw(handMadeFrame(ApiKey.ApiVersions, 99, 7, encodeRequest(ApiKey.ApiVersions, 4, apiVersionsBody())));

    const response = await answer;
    expect(response.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const ranges = new Map(response.apiKeys.map((k) => [k.apiKey, [k.minVersion, k.maxVersion]]));
    expect(ranges.get(ApiKey.ApiVersions)).toEqual([0, 4]);
    expect(ranges.get(ApiKey.Produce)).toEqual([0, 11]);
    expect(ranges.get(ApiKey.Metadata)).toEqual([0, 12]);
    expect(ranges.get(ApiKey.Fetch)).toEqual([4, 17]);

    // The client retries with a version it found in the list, on the same connection.
    expect((await c.request(ApiKey.ApiVersions, 4, apiVersionsBody())).errorCode).toBe(ErrorCode.NONE);
    expect(c.open).toBe(true);
    expect(b.logs.atLeast("warn")).toEqual([]);
  });
});

describe("Connection: bad input", () => {
  // Each case: the bytes a client sends, and the warning the broker closes the connection with.
  const cases: { name: string; bytes: () => Uint8Array; msg: string; fields: Record<string, unknown> }[] = [
    {
      name: "an unknown API key",
      bytes: () => handMadeFrame(12_345, 0, 1, new Uint8Array(16)),
      msg: "closing connection: unsupported API or version",
      fields: { apiKey: 12_345, apiVersion: 0 },
    },
    {
      name: "a version of a known API the broker does not serve (Fetch v3)",
      bytes: () => Buffer.concat(encodeRequestFrame(ApiKey.Fetch, 3, 1, "wire-test", { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1024, topics: [] })),
      msg: "closing connection: unsupported API or version",
      fields: { apiKey: ApiKey.Fetch, apiVersion: 3 },
    },
    {
      name: "a version of a known API newer than any Kafka has (Metadata v13)",
      bytes: () => handMadeFrame(ApiKey.Metadata, 13, 1, encodeRequest(ApiKey.Metadata, 12, metadataBody(["t"]))),
      msg: "closing connection: unsupported API or version",
      fields: { apiKey: ApiKey.Metadata, apiVersion: 13 },
    },
    {
      name: "a request whose body cannot be read (Metadata v12 cut short)",
      bytes: () => handMadeFrame(ApiKey.Metadata, 12, 1, Uint8Array.of(0x05, 0x00)),
      msg: "closing connection: malformed request",
      fields: { apiKey: ApiKey.Metadata, apiVersion: 12 },
    },
    {
      name: "a frame too short to hold a request header",
      bytes: () => Uint8Array.of(0, 0, 0, 3, 0, 18, 0),
      msg: "closing connection: bad request header",
      fields: {},
    },
    {
      name: "a negative size prefix",
      bytes: () => Uint8Array.of(0xff, 0xff, 0xff, 0xf0, 0, 18, 0, 3),
      msg: "closing connection: bad frame",
      fields: { err: expect.objectContaining({ code: "INVALID_FRAME" }) },
    },
  ];

  it.each(cases)("closes the connection on $name, with one warning", async ({ bytes, msg, fields }) => {
    const b = await broker();
    const bystander = await client(b);
    const c = await client(b);

    c.writeRaw(bytes());
    await closesWithin(c, 2000);

    const lines = b.logs.forClient(c.localPort);
    expect(lines).toEqual([{ level: "warn", msg, fields: expect.objectContaining(fields) }]);
    // Other connections are not disturbed.
    expect((await bystander.request(ApiKey.ApiVersions, 3, apiVersionsBody())).errorCode).toBe(ErrorCode.NONE);
  });

  it("refuses a frame larger than maxFrameBytes from its size prefix alone, without waiting for the body", async () => {
    const maxFrameBytes = 64 * 1024;
    const b = await broker({ maxFrameBytes });
    const c = await client(b);

    // A 1 GiB size prefix and the first bytes of a header: the body never comes.
    const head = Buffer.alloc(10);
    head.writeInt32BE(1024 ** 3, 0);
    head.writeInt16BE(ApiKey.Produce, 4);
    head.writeInt16BE(9, 6);
    const before = process.memoryUsage().arrayBuffers;
    c.writeRaw(head);
    await closesWithin(c, 2000);

    // Nothing the size of the announced frame was allocated (it would count until collected).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    expect(b.logs.forClient(c.localPort)).toEqual([
      {
        level: "warn",
        msg: "closing connection: bad frame",
        fields: expect.objectContaining({ err: { code: "FRAME_TOO_LARGE", message: `frame of 1073741824 bytes is larger than the maximum of ${maxFrameBytes}` } }),
      },
    ]);
  });

  it("serves a frame just under maxFrameBytes", async () => {
    const maxFrameBytes = 64 * 1024;
    const b = await broker({ maxFrameBytes });
    const c = await client(b);
    const frame = Buffer.concat(encodeRequestFrame(ApiKey.Produce, 9, 1, c.clientId, produceBody("near-limit", -1, recordBatch("big", 1, maxFrameBytes - 200))));
    expect(frame.length - 4).toBeLessThanOrEqual(maxFrameBytes);
    expect(frame.length - 4).toBeGreaterThan(maxFrameBytes - 300);

    const answer = c.expect(1, ApiKey.Produce, 9) as Promise<ProduceResponse>;
    c.writeRaw(frame);
    expect((await answer).responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.NONE);
  });
});

describe("Connection: idle timeout", () => {
  it("closes an idle connection, or one stuck inside a frame, but not one waiting for an answer", async () => {
    const idleTimeoutMs = 300;
    const b = await broker({ idleTimeoutMs });
    const setup = await client(b);
    await createTopic(setup, "long-poll");
    setup.close();

    const idle = await client(b);
    const midFrame = await client(b);
    const waiting = await client(b);
    midFrame.writeRaw(Uint8Array.of(0, 0, 0, 100, 0, 3)); // 6 of 104 bytes, then nothing
    // A long poll on an empty partition: the broker holds it for 1.2 s, four idle timeouts.
    const started = Date.now();
    const fetched = waiting.request(ApiKey.Fetch, 12, fetchBody("long-poll", 0n, 1200));

    const [idleMs, midFrameMs] = await Promise.all([closesWithin(idle, 3000), closesWithin(midFrame, 3000)]);
    expect(idleMs).toBeGreaterThanOrEqual(idleTimeoutMs - 50);
    expect(midFrameMs).toBeGreaterThanOrEqual(idleTimeoutMs - 50);
    expect(b.logs.forClient(idle.localPort)).toEqual([{ level: "debug", msg: "closing connection", fields: expect.objectContaining({ reason: "idle timeout" }) }]);

    const response = await fetched;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
    expect(response.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(waiting.open).toBe(true);
    // Once answered it is idle, and goes the same way.
    await closesWithin(waiting, 3000);
  });
});

describe("Connection: back-pressure", () => {
  it("stops reading a connection with too many bytes in flight, and resumes once answers leave", async () => {
    const maxInFlightBytes = 256 * 1024;
    const frameBytes = 16 * 1024;
    // Produces wait for a flush that only comes when the test asks for one.
    const b = await broker({ maxInFlightBytes, flushAgeMs: 60_000, flushBytes: 1024 * 1024 * 1024 });
    const c = await client(b);
    await createTopic(c, "slow");
    const frame = (correlationId: number): Buffer =>
      Buffer.concat(encodeRequestFrame(ApiKey.Produce, 9, correlationId, c.clientId, produceBody("slow", -1, recordBatch(`r${correlationId}`, 1, frameBytes - 120))));

    const answers: Promise<unknown>[] = [];
    let maxInFlight = 0;
    const sampler = setInterval(() => {
      for (const s of b.connections()) maxInFlight = Math.max(maxInFlight, s.inFlightBytes);
    }, 5);
    try {
      // Write until the socket stays full for 300 ms: the broker has stopped reading and the
      // kernel buffers in between are full. The cap only stops a broker that never pushes back.
      let sent = 0;
      let stalled = false;
      while (!stalled && sent < 64 * 1024 * 1024) {
        const id = c.takeCorrelationId();
        answers.push(c.expect(id, ApiKey.Produce, 9));
        const bytes = frame(id);
        sent += bytes.length;
        if (!c.writeRaw(bytes)) {
          const drained = await Promise.race([new Promise((resolve) => c.socket.once("drain", () => resolve(true))), sleep(300, false)]);
          stalled = drained === false;
        }
      }
      expect(stalled).toBe(true);

      const stats = (): ConnectionStats => b.connections().find((s) => s.client === `127.0.0.1:${c.localPort}`)!;
      await until(() => stats().paused, 2000, "the broker to pause the connection");
      const paused = stats();
      expect(paused.inFlightBytes).toBeGreaterThan(maxInFlightBytes);
      // What the broker holds is bounded by the limit, not by what the client has sent.
      expect(paused.bytesRead).toBeLessThan(sent);
      expect(c.socket.writableLength).toBeGreaterThan(0);
      await sleep(100);
      expect(stats().bytesRead).toBe(paused.bytesRead);
      expect(answers.length).toBeGreaterThan(maxInFlightBytes / frameBytes);

      // Flushes answer what is in flight; reading resumes, and so on until every request is answered.
      let answered = 0;
      for (const a of answers) void a.then(() => answered++);
      const deadline = Date.now() + 20_000;
      while (answered < answers.length && Date.now() < deadline && c.open) {
        await b.broker.services.topics.flushAll();
        await sleep(5);
      }
      const responses = (await Promise.all(answers)) as ProduceResponse[];
      expect(responses.every((r) => r.responses[0]!.partitionResponses[0]!.errorCode === ErrorCode.NONE)).toBe(true);
      expect(c.problems).toEqual([]);
      expect(c.arrivals).toEqual([...c.arrivals].sort((x, y) => x - y));
      expect(await latestOffset(c, "slow")).toBe(BigInt(answers.length));
      expect(stats().paused).toBe(false);
    } finally {
      clearInterval(sampler);
    }
    // One read (at most 64 KiB, so five requests' overhead) can land past the limit, plus the
    // rest of a frame begun before it.
    expect(maxInFlight).toBeLessThanOrEqual(maxInFlightBytes + 64 * 1024 + frameBytes + 5 * REQUEST_OVERHEAD_BYTES);
  });
});

describe("KafkaListener: limits and shutdown", () => {
  it("refuses connections beyond maxConnections with one warning each", async () => {
    const b = await broker({ maxConnections: 3 });
    const kept = await Promise.all([client(b), client(b), client(b)]);
    for (const k of kept) expect((await k.request(ApiKey.ApiVersions, 3, apiVersionsBody())).errorCode).toBe(ErrorCode.NONE);

    const extra = await client(b);
    await closesWithin(extra, 2000);
    expect(b.logs.forClient(extra.localPort)).toEqual([
      { level: "warn", msg: "refusing connection: too many connections", fields: expect.objectContaining({ maxConnections: 3 }) },
    ]);

    // A slot freed is a slot to reuse.
    kept[0]!.close();
    await until(() => b.broker["listener"].connectionCount === 2, 2000, "the closed connection to be forgotten");
    const next = await client(b);
    expect((await next.request(ApiKey.ApiVersions, 3, apiVersionsBody())).errorCode).toBe(ErrorCode.NONE);
  });

  it("stop() answers the requests it has received, then closes, and accepts no new connections", async () => {
    const b = await broker({ flushAgeMs: 300 });
    const c = await client(b);
    await createTopic(c, "stopping");
    // 8 MiB already stored, so one answer is too big to leave in a single write.
    const big = await Promise.all(c.pipeline(Array.from({ length: 8 }, (_, i): PipelinedRequest => ({ apiKey: ApiKey.Produce, version: 9, body: produceBody("stopping", -1, recordBatch(`big${i}`, 1, 1 << 20)) }))));
    expect(big.length).toBe(8);
    const first = c.peekCorrelationId();
    const answers = c.pipeline([
      ...Array.from({ length: 5 }, (_, i): PipelinedRequest => ({ apiKey: ApiKey.Produce, version: 9, body: produceBody("stopping", -1, recordBatch(`s${i}`)) })),
      { apiKey: ApiKey.Fetch, version: 12, body: fetchBody("stopping", 0n, 200, 1, 16 << 20) },
    ]);
    await until(() => b.connections()[0]?.pendingRequests === 6, 2000, "the broker to receive all six requests");

    const stopped = b.stop();
    // Sent after the broker stopped reading: never answered, and left unread in its socket.
    const late = c.request(ApiKey.ApiVersions, 3, apiVersionsBody());
    const responses = await Promise.all(answers);
    expect((responses.slice(0, 5) as ProduceResponse[]).map((r) => r.responses[0]!.partitionResponses[0]!.errorCode)).toEqual(Array(5).fill(ErrorCode.NONE));
    const fetched = (responses[5] as FetchResponse).responses[0]!.partitions[0]!;
    expect(fetched.errorCode).toBe(ErrorCode.NONE);
    expect(fetched.records!.length).toBeGreaterThan(8 << 20);
    expect(c.arrivals.filter((id) => id >= first)).toEqual([0, 1, 2, 3, 4, 5].map((i) => first + i));
    await stopped;
    await closesWithin(c, 2000);
    await expect(late).rejects.toThrow("connection closed by the broker");
    await expect(
      new Promise((resolve, reject) => {
        const s = connect({ host: "127.0.0.1", port: b.port }, () => resolve(s.destroy()));
        s.once("error", reject);
      }),
    ).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});
