import { Agent, createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the capture proxy received it. */
export interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The request body as received (for PUTs; empty for others). */
  body: Buffer;
  /** The proxy cut the connection in the middle of this request's body. */
  cut: boolean;
}

/** A running capture proxy; see {@link startCaptureProxy}. */
export interface CaptureProxy {
  readonly endpoint: string;
  readonly requests: CapturedRequest[];
  /** The next PUT is forwarded up to `bytes` bytes of its body, then both connections are destroyed. */
  cutNextPutAfter(bytes: number): void;
  /** The next PUT is forwarded with the byte at `offset` of its body inverted (the client's signature unchanged). */
  corruptNextPut(offset: number): void;
  close(): Promise<void>;
}

/**
 * A test-only HTTP proxy in front of an S3 endpoint that records every
 * request (headers and body as received) and can cut or corrupt a PUT's body
 * in the middle, to see what the S3 client really sends.
 */
export async function startCaptureProxy(target: string): Promise<CaptureProxy> {
  const to = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const requests: CapturedRequest[] = [];
  let cutAfter: number | undefined;
  let corruptAt: number | undefined;

  const server = createServer((req, res) => {
    const captured: CapturedRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.alloc(0), cut: false };
    requests.push(captured);
    const isPut = captured.method === "PUT";
    const cut = isPut ? cutAfter : undefined;
    const corrupt = isPut ? corruptAt : undefined;
    if (isPut) cutAfter = corruptAt = undefined;
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent });
    upstream.on("error", () => req.socket.destroy());
    res.on("close", () => upstream.destroy());
    upstream.on("response", (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
    });
    const parts: Buffer[] = [];
    let seen = 0;
    req.on("data", (chunk: Buffer) => {
      if (captured.cut) return;
      if (corrupt !== undefined && corrupt >= seen && corrupt < seen + chunk.length) chunk[corrupt - seen] ^= 0xff;
      if (cut !== undefined && seen + chunk.length >= cut) {
        const head = chunk.subarray(0, cut - seen);
        parts.push(head);
        upstream.write(head);
        captured.cut = true;
        captured.body = Buffer.concat(parts);
        upstream.destroy();
        req.socket.destroy();
        return;
      }
      seen += chunk.length;
      if (isPut) parts.push(chunk);
      upstream.write(chunk);
    });
    req.on("end", () => {
      captured.body = Buffer.concat(parts);
      upstream.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    cutNextPutAfter: (bytes) => void (cutAfter = bytes),
    corruptNextPut: (offset) => void (corruptAt = offset),
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await stopped;
    },
  };
}
