import { connect, type Socket } from "node:net";
import {
  FrameSplitter,
  decodeResponse,
  decodeResponseHeader,
  encodeRequestFrame,
  responseHeaderVersion,
  type ApiKey,
  type RequestTypes,
  type ResponseTypes,
} from "@kafscale/protocol";

interface Pending {
  apiKey: ApiKey;
  version: number;
  resolve: (response: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * A minimal Kafka client over one TCP connection, for tests: typed request in, typed response
 * out, through the same codec real frames go through. Requests may be pipelined; answers are
 * matched by correlation id. A closed connection rejects whatever is still waiting.
 */
export class GroupTestClient {
  private readonly splitter = new FrameSplitter();
  private readonly pending = new Map<number, Pending>();
  private nextCorrelationId = 1;
  private closedError: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    readonly clientId: string,
  ) {
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (err) => this.fail(err));
    socket.on("close", () => this.fail(new Error("connection closed by the broker")));
  }

  static connect(port: number, clientId = "group-test", host = "127.0.0.1"): Promise<GroupTestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        socket.setNoDelay(true);
        resolve(new GroupTestClient(socket, clientId));
      });
    });
  }

  /** Sends one request and resolves with the decoded response. */
  request<K extends ApiKey>(apiKey: K, version: number, body: RequestTypes[K]): Promise<ResponseTypes[K]> {
    if (this.closedError !== undefined) return Promise.reject(this.closedError);
    const correlationId = this.nextCorrelationId++;
    const frame = encodeRequestFrame(apiKey, version, correlationId, this.clientId, body);
    return new Promise<ResponseTypes[K]>((resolve, reject) => {
      this.pending.set(correlationId, { apiKey, version, resolve: resolve as (r: unknown) => void, reject });
      this.socket.write(Buffer.concat(frame));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let frames: Uint8Array[];
    try {
      frames = this.splitter.push(chunk);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    for (const frame of frames) {
      const correlationId = new DataView(frame.buffer, frame.byteOffset, 4).getInt32(0);
      const waiting = this.pending.get(correlationId);
      if (waiting === undefined) {
        this.fail(new Error(`response with unknown correlation id ${correlationId}`));
        return;
      }
      this.pending.delete(correlationId);
      try {
        const { bodyOffset } = decodeResponseHeader(frame, responseHeaderVersion(waiting.apiKey, waiting.version));
        waiting.resolve(decodeResponse(waiting.apiKey, waiting.version, frame.subarray(bodyOffset)));
      } catch (err) {
        waiting.reject(err as Error);
      }
    }
  }

  private fail(err: Error): void {
    this.closedError ??= err;
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}
