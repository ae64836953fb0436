/**
 * Capture proxy: a TCP proxy between Kafka clients and one mock broker that records every
 * request frame and the matching response frame (matched by correlation id), as the bytes
 * were sent. Responses the client sees may be rewritten (see src/rewrite.ts); the recorded
 * response is always the original.
 *
 * As a library: `createCaptureProxy(options)` (used by capture.ts).
 * As a program:
 *   tsx capture-proxy.ts --upstream 127.0.0.1:PORT [--port 0] [--out exchanges.jsonl]
 *                        [--advertise-admin-apis]
 * prints "LISTENING 127.0.0.1:PORT" and appends one JSON line per exchange to --out (hex frames)
 * until SIGINT/SIGTERM.
 */
import { appendFileSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { FrameSplitter, peekRequestHeader, peekResponseCorrelationId, withSizePrefix } from "./src/frames.js";
import { type ApiVersionEntry, type HostPort, createResponseRewriter, decodeApiVersionsV0 } from "./src/rewrite.js";

export type ExchangeOutcome =
  /** The mock answered. */
  | "answered"
  /** The mock closed the connection before answering (it does so for APIs/versions it lacks). */
  | "closed-by-mock"
  /** The client closed the connection before an answer came (e.g. Produce with acks=0). */
  | "closed-by-client";

export interface CapturedExchange {
  /** Order in which requests reached the proxy, over all connections. */
  readonly seq: number;
  readonly connection: number;
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** Header + body, no size prefix, exactly as the client sent it. */
  readonly request: Buffer;
  /** Header + body, no size prefix, exactly as the mock sent it; null if none came. */
  response: Buffer | null;
  /** True when the client was shown a rewritten response. */
  rewritten: boolean;
  outcome: ExchangeOutcome;
}

export interface CaptureProxyOptions {
  readonly upstream: HostPort;
  /** Port to listen on; 0 (default) picks a free one. The host is the upstream's host. */
  readonly port?: number;
  readonly extraApis?: readonly ApiVersionEntry[];
  /** Called when an exchange is settled (answered, or its connection closed). */
  readonly onExchange?: (exchange: CapturedExchange) => void;
}

export interface CaptureProxy {
  readonly address: HostPort;
  /** Every exchange so far, settled or not, in request order. */
  readonly exchanges: readonly CapturedExchange[];
  /** Responses whose correlation id matched no request (should stay empty). */
  readonly unmatchedResponses: readonly Buffer[];
  close(): Promise<void>;
}

export async function createCaptureProxy(options: CaptureProxyOptions): Promise<CaptureProxy> {
  const exchanges: CapturedExchange[] = [];
  const unmatchedResponses: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let connectionCount = 0;
  let rewrite: ReturnType<typeof createResponseRewriter> | undefined;

  const settle = (exchange: CapturedExchange, outcome: ExchangeOutcome) => {
    exchange.outcome = outcome;
    options.onExchange?.(exchange);
  };

  const server = net.createServer((client) => {
    const connection = ++connectionCount;
    const upstream = net.connect(options.upstream.port, options.upstream.host);
    sockets.add(client);
    sockets.add(upstream);
    const pending = new Map<number, CapturedExchange>();
    const requests = new FrameSplitter();
    const responses = new FrameSplitter();
    let closedFirstBy: "mock" | "client" | null = null;

    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      for (const frame of requests.push(chunk)) {
        const header = peekRequestHeader(frame);
        const exchange: CapturedExchange = {
          seq: exchanges.length + 1,
          connection,
          ...header,
          request: frame,
          response: null,
          rewritten: false,
          outcome: "answered",
        };
        exchanges.push(exchange);
        pending.set(header.correlationId, exchange);
      }
    });

    upstream.on("data", (chunk: Buffer) => {
      for (const frame of responses.push(chunk)) {
        const correlationId = peekResponseCorrelationId(frame);
        const exchange = pending.get(correlationId);
        if (!exchange) {
          unmatchedResponses.push(frame);
          client.write(withSizePrefix(frame));
          continue;
        }
        pending.delete(correlationId);
        exchange.response = frame;
        const shown = rewrite!(exchange.apiKey, exchange.apiVersion, frame);
        exchange.rewritten = shown !== frame;
        client.write(withSizePrefix(shown));
        settle(exchange, "answered");
      }
    });

    const finish = (by: "mock" | "client") => {
      closedFirstBy ??= by;
      for (const exchange of pending.values()) {
        settle(exchange, closedFirstBy === "mock" ? "closed-by-mock" : "closed-by-client");
      }
      pending.clear();
    };
    upstream.on("close", () => {
      finish("mock");
      client.destroy();
      sockets.delete(upstream);
    });
    client.on("close", () => {
      finish("client");
      upstream.destroy();
      sockets.delete(client);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.upstream.host, () => resolve());
  });
  const bound = server.address() as net.AddressInfo;
  const address: HostPort = { host: options.upstream.host, port: bound.port };
  rewrite = createResponseRewriter({
    upstream: options.upstream,
    advertised: address,
    mockApis: await queryApiVersions(options.upstream),
    ...(options.extraApis ? { extraApis: options.extraApis } : {}),
  });

  return {
    address,
    exchanges,
    unmatchedResponses,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Asks the mock for its API list (ApiVersions v0) on a connection of its own; not recorded. */
export function queryApiVersions(upstream: HostPort): Promise<ApiVersionEntry[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(upstream.port, upstream.host);
    const clientId = Buffer.from("kafscale-capture-proxy");
    const request = Buffer.alloc(10 + clientId.length);
    request.writeInt16BE(18, 0); // ApiVersions
    request.writeInt16BE(0, 2); // v0
    request.writeInt32BE(0, 4); // correlation id
    request.writeInt16BE(clientId.length, 8);
    clientId.copy(request, 10);
    const splitter = new FrameSplitter();
    socket.setTimeout(5000, () => socket.destroy(new Error("ApiVersions query timed out")));
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => {
      const [frame] = splitter.push(chunk);
      if (!frame) return;
      socket.destroy();
      try {
        resolve(decodeApiVersionsV0(frame));
      } catch (err) {
        reject(err);
      }
    });
    socket.write(withSizePrefix(request));
  });
}

export function parseHostPort(text: string): HostPort {
  const colon = text.lastIndexOf(":");
  const port = Number(text.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) throw new Error(`expected host:port, got ${JSON.stringify(text)}`);
  return { host: text.slice(0, colon), port };
}

async function main(argv: string[]): Promise<void> {
  const { adminApiVersions } = await import("./src/admin-apis.js");
  let upstream: HostPort | undefined;
  let port = 0;
  let out: string | undefined;
  let extraApis: readonly ApiVersionEntry[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--upstream") upstream = parseHostPort(argv[++i] ?? "");
    else if (arg === "--port") port = Number(argv[++i]);
    else if (arg === "--out") out = argv[++i];
    else if (arg === "--advertise-admin-apis") extraApis = adminApiVersions();
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!upstream) throw new Error("usage: capture-proxy.ts --upstream HOST:PORT [--port N] [--out FILE] [--advertise-admin-apis]");
  const proxy = await createCaptureProxy({
    upstream,
    port,
    ...(extraApis ? { extraApis } : {}),
    onExchange: (e) => {
      const line = JSON.stringify({
        seq: e.seq,
        connection: e.connection,
        apiKey: e.apiKey,
        apiVersion: e.apiVersion,
        correlationId: e.correlationId,
        clientId: e.clientId,
        outcome: e.outcome,
        rewritten: e.rewritten,
        request: e.request.toString("hex"),
        response: e.response?.toString("hex") ?? null,
      });
      if (out) appendFileSync(out, line + "\n");
      else process.stderr.write(`${e.apiKey}v${e.apiVersion} #${e.correlationId} ${e.outcome}\n`);
    },
  });
  process.stdout.write(`LISTENING ${proxy.address.host}:${proxy.address.port}\n`);
  const stop = () => void proxy.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
