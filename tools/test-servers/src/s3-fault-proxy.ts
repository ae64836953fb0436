import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultSchedule, type FaultKind, type FaultPlan, type FaultRule } from "./fault-plan.js";
import { objectKeyOf, sendS3Error } from "./fault-responses.js";

export type { FaultKind, FaultPlan, FaultRule } from "./fault-plan.js";

/** What the proxy did so far: one count per fault kind, plus forwarding and concurrency figures. */
export type FaultCounts = Record<FaultKind, number> & {
  /** Requests received. */
  requests: number;
  /** Requests sent on to the target (including those later delayed or dropped). */
  forwarded: number;
  /** Requests being handled right now. */
  inFlight: number;
  /** Most requests handled at once since the start (or `resetCounts()`). */
  maxInFlight: number;
};

/** A running proxy; see {@link startS3FaultProxy}. */
export interface S3FaultProxy {
  /** `http://127.0.0.1:PORT`: give this to the S3 client instead of the target. */
  readonly endpoint: string;
  /** Replaces the fault plan (and restarts its counters and RNG). */
  setFaults(plan: FaultPlan): void;
  /** Removes the fault plan: every request is forwarded untouched. */
  clear(): void;
  counts(): FaultCounts;
  /** Zeroes the counts (`inFlight` stays, `maxInFlight` restarts from it). */
  resetCounts(): void;
  /** Stops listening, drops open connections and pending delays. Idempotent. */
  close(): Promise<void>;
}

const zeroCounts = (inFlight: number): FaultCounts => ({
  requests: 0,
  forwarded: 0,
  inFlight,
  maxInFlight: inFlight,
  slowDown: 0,
  internalError: 0,
  delay: 0,
  dropBeforeForward: 0,
  dropAfterForward: 0,
});

/**
 * An HTTP reverse proxy in front of an S3 endpoint (path-style) that forwards
 * requests unchanged — streaming bodies, keep-alive on both sides, the Host
 * header kept so SigV4 signatures stay valid — and injects faults on the
 * schedule of a {@link FaultPlan}.
 */
export async function startS3FaultProxy(options: { target: string; port?: number }): Promise<S3FaultProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true, timeout: 20_000 });
  let schedule: FaultSchedule | undefined;
  let counts = zeroCounts(0);
  let inFlight = 0;
  const timers = new Set<NodeJS.Timeout>();
  let closed: Promise<void> | undefined;

  const forward = (req: IncomingMessage, res: ServerResponse, rule: FaultRule | undefined): void => {
    counts.forwarded++;
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent });
    upstream.on("error", () => req.socket.destroy());
    res.on("close", () => upstream.destroy());
    upstream.on("response", (answer) => {
      if (rule?.fault === "dropAfterForward") {
        answer.resume();
        answer.on("end", () => req.socket.destroy());
        return;
      }
      const send = (): void => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(res);
      };
      if (rule?.fault !== "delay") return send();
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send();
      }, rule.delayMs ?? 10_000);
      timers.add(timer);
      res.on("close", () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
    });
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    counts.requests++;
    inFlight++;
    counts.maxInFlight = Math.max(counts.maxInFlight, inFlight);
    res.on("close", () => void inFlight--);
    const rule = schedule?.pick(req.method ?? "GET", objectKeyOf(req.url ?? "/"));
    if (rule !== undefined) counts[rule.fault]++;
    switch (rule?.fault) {
      case "slowDown":
        return sendS3Error(req, res, 503, "SlowDown", "Please reduce your request rate.");
      case "internalError":
        return sendS3Error(req, res, 500, "InternalError", "We encountered an internal error. Please try again.");
      case "dropBeforeForward":
        req.socket.destroy();
        return;
      default:
        forward(req, res, rule);
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    setFaults: (plan) => void (schedule = new FaultSchedule(plan)),
    clear: () => void (schedule = undefined),
    counts: () => ({ ...counts, inFlight }),
    resetCounts: () => void (counts = zeroCounts(inFlight)),
    close() {
      closed ??= closeServer();
      return closed;
    },
  };

  async function closeServer(): Promise<void> {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    agent.destroy();
    await stopped;
  }
}
