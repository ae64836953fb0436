import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startS3FaultProxy, type S3FaultProxy } from "../src/index.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An upstream that records what reaches it and echoes it back; `/hold/*` answers only when release() is called. */
let upstream: Server;
let seen: Seen[] = [];
let held: (() => void)[] = [];
let proxy: S3FaultProxy;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  reusedSocket: boolean;
}

function send(method: string, path: string, body?: Buffer, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${proxy.endpoint}${path}`, { method, headers: { "x-amz-meta-test": "kept", ...(body ? { "content-length": body.length } : {}) }, ...(agent ? { agent } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), reusedSocket: req.reusedSocket }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const errorOf = (p: Promise<unknown>): Promise<string> => p.then(() => "resolved", (e: NodeJS.ErrnoException) => e.code ?? e.message);

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
      const answer = (): void => {
        res.writeHead(200, { etag: '"abc"', "x-upstream": "yes" });
        res.end(`${req.method} ${req.url} ${Buffer.concat(chunks).length}`);
      };
      if (req.url?.startsWith("/bucket/hold/")) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  proxy = await startS3FaultProxy({ target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
});

afterEach(() => {
  proxy.clear();
  proxy.resetCounts();
  seen = [];
});

afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => upstream.close(resolve));
});

describe("startS3FaultProxy()", () => {
  it("forwards method, path, headers and a streamed body unchanged, and the answer back", async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const answer = await send("PUT", "/bucket/a%20b/c?x-id=PutObject", body);
    expect(answer).toMatchObject({ status: 200, body: `PUT /bucket/a%20b/c?x-id=PutObject ${body.length}` });
    expect(answer.headers).toMatchObject({ etag: '"abc"', "x-upstream": "yes" });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers["x-amz-meta-test"]).toBe("kept");
    expect(seen[0]!.headers.host).toBe(new URL(proxy.endpoint).host);
    expect(seen[0]!.body.equals(body)).toBe(true);
    expect(proxy.counts()).toMatchObject({ requests: 1, forwarded: 1, slowDown: 0 });
  });

  it("keeps client connections alive between requests", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await send("GET", "/bucket/one", undefined, agent);
    expect((await send("GET", "/bucket/two", undefined, agent)).reusedSocket).toBe(true);
    agent.destroy();
  });

  it.each([
    ["slowDown", 503, "SlowDown"],
    ["internalError", 500, "InternalError"],
  ] as const)("answers %s as S3 does (%i, XML <Code>%s</Code>) without forwarding", async (fault, status, code) => {
    proxy.setFaults({ rules: [{ fault }] });
    const answer = await send("PUT", "/bucket/k", Buffer.from("body"));
    expect(answer.status).toBe(status);
    expect(answer.headers["content-type"]).toBe("application/xml");
    expect(answer.body).toContain(`<Code>${code}</Code>`);
    expect(answer.body).toContain("<Resource>/bucket/k</Resource>");
    expect(seen).toHaveLength(0);
    expect(proxy.counts()).toMatchObject({ requests: 1, forwarded: 0, [fault]: 1 });
  });

  it("delays the answer by delayMs after forwarding the request", async () => {
    proxy.setFaults({ rules: [{ fault: "delay", delayMs: 400 }] });
    const started = Date.now();
    const answer = send("GET", "/bucket/slow");
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(seen).toHaveLength(1);
    expect((await answer).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(proxy.counts()).toMatchObject({ delay: 1, forwarded: 1 });
  });

  it("drops the connection before forwarding: nothing reaches the target", async () => {
    proxy.setFaults({ rules: [{ fault: "dropBeforeForward" }] });
    expect(await errorOf(send("PUT", "/bucket/k", Buffer.from("x")))).toBe("ECONNRESET");
    expect(seen).toHaveLength(0);
    expect(proxy.counts()).toMatchObject({ dropBeforeForward: 1, forwarded: 0 });
  });

  it("drops the connection after forwarding: the target got the request, the client no answer", async () => {
    proxy.setFaults({ rules: [{ fault: "dropAfterForward" }] });
    expect(await errorOf(send("PUT", "/bucket/k", Buffer.from("landed")))).toBe("ECONNRESET");
    expect(seen.map((s) => s.body.toString())).toEqual(["landed"]);
    expect(proxy.counts()).toMatchObject({ dropAfterForward: 1, forwarded: 1 });
  });

  it("fires every Nth matching request, matching by method and key substring", async () => {
    proxy.setFaults({ rules: [{ fault: "internalError", method: "put", keyContains: "seg", every: 3 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await send("GET", "/bucket/segment")).status);
      statuses.push((await send("PUT", "/bucket/segment", Buffer.from("x"))).status);
      statuses.push((await send("PUT", "/bucket/other", Buffer.from("x"))).status);
    }
    const putSegment = statuses.filter((_, i) => i % 3 === 1);
    expect(putSegment).toEqual([200, 200, 500, 200, 200, 500, 200]);
    expect(statuses.filter((s) => s === 500)).toHaveLength(2);
  });

  it("fires for the next N matching requests only, first firing rule wins", async () => {
    proxy.setFaults({ rules: [{ fault: "slowDown", next: 2 }, { fault: "internalError", next: 1 }] });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send("GET", "/bucket/k")).status);
    expect(statuses).toEqual([503, 503, 500, 200, 200]);
    expect(proxy.counts()).toMatchObject({ slowDown: 2, internalError: 1, forwarded: 2 });
  });

  it("draws probabilistic faults from a seeded RNG: the same seed gives the same faults", async () => {
    const run = async (seed: number): Promise<number[]> => {
      proxy.setFaults({ rules: [{ fault: "slowDown", probability: 0.5 }], seed });
      const out = [];
      for (let i = 0; i < 40; i++) out.push((await send("GET", "/bucket/k")).status);
      return out;
    };
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(await run(7)).not.toEqual(first);
    const faults = first.filter((s) => s === 503).length;
    expect(faults).toBeGreaterThan(8);
    expect(faults).toBeLessThan(32);
  });

  it("forwards everything again after clear()", async () => {
    proxy.setFaults({ rules: [{ fault: "slowDown" }] });
    expect((await send("GET", "/bucket/k")).status).toBe(503);
    proxy.clear();
    expect((await send("GET", "/bucket/k")).status).toBe(200);
  });

  it("counts the requests in flight at once", async () => {
    const answers = Array.from({ length: 5 }, (_, i) => send("GET", `/bucket/hold/${i}`));
    while (held.length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(proxy.counts()).toMatchObject({ inFlight: 5, maxInFlight: 5 });
    for (const release of held.splice(0)) release();
    await Promise.all(answers);
    expect(proxy.counts()).toMatchObject({ inFlight: 0, maxInFlight: 5 });
  });

  it("refuses a rule with two schedules", () => {
    expect(() => proxy.setFaults({ rules: [{ fault: "slowDown", every: 2, next: 1 }] })).toThrow(/at most one of/);
  });

  it("stops accepting connections after close()", async () => {
    const other = await startS3FaultProxy({ target: proxy.endpoint });
    const endpoint = other.endpoint;
    await other.close();
    const failed = await errorOf(fetch(endpoint));
    expect(failed).not.toBe("resolved");
  });
});
