/**
 * A counting HTTP proxy between the broker and the S3 gateway: it forwards every request unchanged
 * (streamed bodies, keep-alive on both sides, the Host header kept so SigV4 signatures stay valid)
 * and records, per request, the S3 operation, the object key, the bytes sent and the time it took.
 * The benchmark turns the records into requests per GiB produced and per-flush timings.
 *
 * (@kafscale/test-servers' fault proxy forwards the same way but counts only totals, not requests
 * by method and key; a second proxy hop would cost CPU on a 2-core machine, so this one replaces it.)
 */
import { Agent, createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** S3 operations as the benchmark reports them. */
export type S3Op = "PUT" | "GET" | "HEAD" | "LIST" | "DELETE" | "OTHER";
export const S3_OPS: readonly S3Op[] = ["PUT", "GET", "HEAD", "LIST", "DELETE", "OTHER"];

/** One request that went through the proxy. */
export interface ProxiedRequest {
  op: S3Op;
  method: string;
  /** The object key (decoded), "" for bucket-level requests. */
  key: string;
  /** Request body bytes (PUT payload). */
  bytesIn: number;
  /** Response body bytes (GET payload). */
  bytesOut: number;
  status: number;
  /** performance.now() when the request arrived and when its response was finished, ms. */
  startMs: number;
  endMs: number;
}

export interface CountingProxy {
  /** `http://127.0.0.1:PORT`: the S3 endpoint to give the broker. */
  readonly endpoint: string;
  /** Every finished request so far, in the order they finished. */
  readonly requests: readonly ProxiedRequest[];
  /** Requests in flight right now. */
  inFlight(): number;
  close(): Promise<void>;
}

/** The operation of a path-style request: `/bucket` (LIST on GET) or `/bucket/key`. */
export function classify(method: string, url: string): { op: S3Op; key: string } {
  const u = new URL(url, "http://x");
  const parts = u.pathname.split("/").slice(2); // ["", bucket, ...key]
  const key = parts.map(decodeURIComponent).join("/");
  const m = method.toUpperCase();
  if (key === "") return { op: m === "GET" ? "LIST" : "OTHER", key };
  if (m === "PUT" || m === "GET" || m === "HEAD" || m === "DELETE") return { op: m, key };
  return { op: "OTHER", key };
}

/** Starts the proxy on a free loopback port, forwarding to `target` (`http://host:port`). */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const t = new URL(target);
  const agent = new Agent({ keepAlive: true, timeout: 60_000 });
  const requests: ProxiedRequest[] = [];
  let inFlight = 0;

  const server = createServer((req: IncomingMessage, res) => {
    const startMs = performance.now();
    const { op, key } = classify(req.method ?? "GET", req.url ?? "/");
    let bytesIn = 0;
    let bytesOut = 0;
    let status = 0;
    inFlight++;
    req.on("data", (c: Buffer) => (bytesIn += c.length));
    res.on("close", () => {
      inFlight--;
      requests.push({ op, method: req.method ?? "?", key, bytesIn, bytesOut, status, startMs, endMs: performance.now() });
    });
    const upstream = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers, agent });
    upstream.on("error", () => req.socket.destroy());
    res.on("close", () => upstream.destroy());
    upstream.on("response", (answer) => {
      status = answer.statusCode ?? 502;
      answer.on("data", (c: Buffer) => (bytesOut += c.length));
      res.writeHead(status, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    inFlight: () => inFlight,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
