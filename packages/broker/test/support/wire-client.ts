import { connect, type Socket } from "node:net";
import {
  FrameSplitter,
  decodeRequestHeader,
  Writer,
  decodeResponse,
  decodeResponseHeader,
  encodeRequestFrame,
  encodeRequestHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  type ApiKey,
  type RequestTypes,
  type ResponseTypes,
} from "@kafscale/protocol";

/** One request of a pipeline; `noResponse` for the requests Kafka does not answer (produce acks=0). */
export interface PipelinedRequest<K extends ApiKey = ApiKey> {
  apiKey: K;
  version: number;
  body: RequestTypes[K];
  noResponse?: boolean;
}

interface Expected {
  apiKey: number;
  /** The version the answer is encoded in (v0 for an ApiVersions request the broker cannot read). */
  version: number;
  resolve: (response: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * A raw Kafka connection for wire tests: requests can be pipelined in one write, hand-made
 * frames and arbitrary bytes can be sent, and the order answers arrive in is recorded.
 * Answers are matched by correlation id, so a reordering shows up in `arrivals` instead of as
 * a wrong decode.
 */
export class WireClient {
  /** Correlation ids of the answers, in the order they arrived. */
  readonly arrivals: number[] = [];
  /** Answers that matched no request, or could not be read. */
  readonly problems: string[] = [];
  /** Resolves when the socket has closed, whoever closed it. */
  readonly closed: Promise<void>;
  private readonly splitter = new FrameSplitter();
  private readonly expected = new Map<number, Expected>();
  private nextCorrelationId = 1;
  private isClosed = false;
  private readonly port: number;

  private constructor(
    readonly socket: Socket,
    readonly clientId: string,
  ) {
    this.port = socket.localPort ?? 0;
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", () => {}); // a reset from the broker is an outcome tests look at through `closed`
    this.closed = new Promise((resolve) => {
      socket.on("close", () => {
        this.isClosed = true;
        const err = new Error("connection closed by the broker");
        for (const e of this.expected.values()) e.reject(err);
        this.expected.clear();
        resolve();
      });
    });
  }

  static connect(port: number, clientId = "wire-test"): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        socket.setNoDelay(true);
        resolve(new WireClient(socket, clientId));
      });
    });
  }

  /** The client's port, which the broker's log lines for this connection carry. */
  get localPort(): number {
    return this.port;
  }

  get open(): boolean {
    return !this.isClosed;
  }

  /** Sends one request and resolves with its decoded answer. */
  request<K extends ApiKey>(apiKey: K, version: number, body: RequestTypes[K]): Promise<ResponseTypes[K]> {
    return this.pipeline([{ apiKey, version, body }])[0]! as Promise<ResponseTypes[K]>;
  }

  /**
   * Writes every request in one write, without waiting, and returns one promise per request
   * (resolving to undefined at once for `noResponse` ones).
   */
  pipeline(requests: readonly PipelinedRequest[]): Promise<unknown>[] {
    const chunks: Uint8Array[] = [];
    const answers = requests.map((r) => {
      const correlationId = this.nextCorrelationId++;
      chunks.push(...encodeRequestFrame(r.apiKey, r.version, correlationId, this.clientId, r.body as never));
      return r.noResponse === true ? Promise.resolve(undefined) : this.expect(correlationId, r.apiKey, r.version);
    });
    this.socket.write(Buffer.concat(chunks));
    return answers;
  }

  /** The correlation id the next request will carry. */
  peekCorrelationId(): number {
    return this.nextCorrelationId;
  }

  /** Takes the next correlation id, for a frame the caller builds and sends with `writeRaw`. */
  takeCorrelationId(): number {
    return this.nextCorrelationId++;
  }

  /**
   * Registers an answer to wait for, for frames sent with `writeRaw`. The promise rejects when
   * the connection closes first; left unawaited (a test that failed earlier), that is not an
   * unhandled rejection.
   */
  expect(correlationId: number, apiKey: number, version: number): Promise<unknown> {
    const answer = this.isClosed
      ? Promise.reject(new Error("connection already closed"))
      : new Promise((resolve, reject) => this.expected.set(correlationId, { apiKey, version, resolve, reject }));
    answer.catch(() => {});
    return answer;
  }

  /** Writes bytes as they are; false when the socket's buffer is full (wait for "drain"), as `socket.write`. */
  /** Sends a whole request frame as captured (header and body, no size prefix); resolves with the decoded answer. */
  sendFrame(frame: Uint8Array): Promise<unknown> {
    const { header } = decodeRequestHeader(frame);
    const answer = this.expect(header.correlationId, header.requestApiKey, header.requestApiVersion);
    const size = Buffer.alloc(4);
    size.writeInt32BE(frame.length);
    this.writeRaw(Buffer.concat([size, frame]));
    return answer;
  }

  writeRaw(bytes: Uint8Array): boolean {
    return this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let frames: Uint8Array[];
    try {
      frames = this.splitter.push(chunk);
    } catch (err) {
      this.problems.push(`bad frame from the broker: ${String(err)}`);
      this.socket.destroy();
      return;
    }
    for (const frame of frames) {
      const correlationId = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getInt32(0);
      this.arrivals.push(correlationId);
      const e = this.expected.get(correlationId);
      if (e === undefined) {
        this.problems.push(`answer with unexpected correlation id ${correlationId}`);
        continue;
      }
      this.expected.delete(correlationId);
      try {
        const { bodyOffset } = decodeResponseHeader(frame, responseHeaderVersion(e.apiKey, e.version));
        e.resolve(decodeResponse(e.apiKey, e.version, frame.subarray(bodyOffset)));
      } catch (err) {
        this.problems.push(`answer ${correlationId} unreadable: ${String(err)}`);
        e.reject(err as Error);
      }
    }
  }
}

/**
 * A request frame built by hand, for API keys and versions the codec refuses to encode: the
 * size prefix, the request header (its version by the spec's rules unless given) and `body`.
 * With `more`, the size prefix counts that many bytes the caller sends after the frame.
 */
export function handMadeFrame(apiKey: number, version: number, correlationId: number, body: Uint8Array, headerVersion = requestHeaderVersion(apiKey, version), more = 0): Uint8Array {
  const header = encodeRequestHeader({ requestApiKey: apiKey, requestApiVersion: version, correlationId, clientId: "wire-test" }, headerVersion);
  const w = new Writer();
  w.int32(header.length + body.length + more);
  w.raw(header);
  w.raw(body);
  return w.finish();
}
