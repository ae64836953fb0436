import { connect, type Socket } from "node:net";
import {
  FrameSplitter,
  decodeRequestHeader,
  decodeResponse,
  decodeResponseHeader,
  encodeRequestFrame,
  responseHeaderVersion,
  type ApiKey,
  type RequestTypes,
  type ResponseTypes,
} from "@kafscale/protocol";

interface Pending {
  apiKey: number;
  version: number;
  resolve: (body: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * A minimal Kafka client for tests: one TCP connection, requests encoded with the codec,
 * responses matched to requests by correlation id and decoded at the request's version.
 */
export class AdminTestClient {
  private readonly splitter = new FrameSplitter();
  private readonly pending = new Map<number, Pending>();
  private nextCorrelationId = 1000;
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      try {
        for (const frame of this.splitter.push(chunk)) this.onFrame(frame);
      } catch (err) {
        this.fail(err as Error);
      }
    });
    socket.on("error", (err) => this.fail(err));
    socket.on("close", () => this.fail(new Error("connection closed by the broker")));
  }

  static connect(port: number, host = "127.0.0.1"): Promise<AdminTestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => {
        socket.off("error", reject);
        resolve(new AdminTestClient(socket));
      });
      socket.once("error", reject);
    });
  }

  /** Sends a request at `version` and resolves with the decoded response. */
  send<K extends ApiKey>(apiKey: K, version: number, request: RequestTypes[K]): Promise<ResponseTypes[K]> {
    const correlationId = this.nextCorrelationId++;
    const answer = this.expect(correlationId, apiKey, version);
    for (const chunk of encodeRequestFrame(apiKey, version, correlationId, "admin-test", request)) this.socket.write(chunk);
    return answer as Promise<ResponseTypes[K]>;
  }

  /** Sends a whole request frame as captured (header and body, no size prefix); resolves with the decoded response. */
  sendRaw(frame: Uint8Array): Promise<unknown> {
    const { header } = decodeRequestHeader(frame);
    const answer = this.expect(header.correlationId, header.requestApiKey, header.requestApiVersion);
    const size = Buffer.alloc(4);
    size.writeInt32BE(frame.length);
    this.socket.write(Buffer.concat([size, frame]));
    return answer;
  }

  close(): void {
    this.failure ??= new Error("client closed");
    this.socket.destroy();
  }

  private expect(correlationId: number, apiKey: number, version: number): Promise<unknown> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.pending.has(correlationId)) return Promise.reject(new Error(`correlation id ${correlationId} is already in flight`));
    return new Promise((resolve, reject) => this.pending.set(correlationId, { apiKey, version, resolve, reject }));
  }

  private onFrame(frame: Uint8Array): void {
    const correlationId = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getInt32(0);
    const waiting = this.pending.get(correlationId);
    if (waiting === undefined) throw new Error(`response with unexpected correlation id ${correlationId}`);
    this.pending.delete(correlationId);
    const { bodyOffset } = decodeResponseHeader(frame, responseHeaderVersion(waiting.apiKey, waiting.version));
    waiting.resolve(decodeResponse(waiting.apiKey, waiting.version, frame.subarray(bodyOffset)));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
