import type { Socket } from "node:net";
import {
  ApiKey,
  ErrorCode,
  FrameSplitter,
  ProtocolError,
  decodeRequest,
  decodeRequestHeader,
  encodeResponseFrame,
  type DecodedRequestHeader,
} from "@kafscale/protocol";
import { NO_RESPONSE, type RequestContext } from "../handlers/handler.js";
import type { HandlerRegistry } from "../handlers/handler-registry.js";
import { apiVersionsResponse } from "../handlers/api-versions.js";
import type { Logger } from "../logger.js";

/**
 * What a request costs besides its bytes (its decoded form, slot, context and promise), counted
 * against maxInFlightBytes so that a flood of tiny pipelined requests is bounded by count too:
 * 64 MiB in flight is at most 64 Ki requests, not millions.
 */
export const REQUEST_OVERHEAD_BYTES = 1024;

/** How long a connection closed gracefully may take to flush its answers before it is cut off. */
const GRACEFUL_CLOSE_MS = 5000;

export interface ConnectionLimits {
  /** Largest request frame accepted; a larger size prefix closes the connection. */
  maxFrameBytes: number;
  /**
   * Request bytes being handled or answered at once before the connection stops being read;
   * each request counts REQUEST_OVERHEAD_BYTES more than its size.
   */
  maxInFlightBytes: number;
  /** A connection with nothing in flight for this long is closed. */
  idleTimeoutMs: number;
}

/** What a connection is doing, for operators and tests. */
export interface ConnectionStats {
  id: number;
  client: string;
  /** True while the connection is not being read (back-pressure or shutdown). */
  paused: boolean;
  /** Bytes of the requests received and not yet answered, as counted against maxInFlightBytes. */
  inFlightBytes: number;
  pendingRequests: number;
  /** Bytes read from the socket and written to it so far. */
  bytesRead: number;
  bytesWritten: number;
}

/** A request whose answer is being prepared; answers leave in the order requests came. */
interface Slot {
  bytes: number;
  response: Uint8Array[] | null;
  done: boolean;
}

/** A decoded request waiting for the requests before it (see `canStart`). */
interface Queued {
  slot: Slot;
  request: unknown;
  ctx: RequestContext;
}

/**
 * One client connection: splits frames, decodes, hands each request to its handler, and writes
 * the answers in request order (pipelining). Reading pauses while too many bytes are in flight.
 * Bad input closes the connection with one log line; it never throws out of here.
 *
 * Requests are processed in the order they were sent, as Kafka guarantees per connection: a
 * request starts once the one before it has been handled, so a pipelined OffsetFetch sees the
 * OffsetCommit sent before it and a Fetch sees the acknowledged Produce. The one exception is a
 * run of Produce requests, which overlap: each appends (takes its offsets) as it starts, in
 * order, then waits for its flush alongside the others, so a pipelining producer is not held
 * to one flush per request.
 */
export class Connection {
  private readonly splitter: FrameSplitter;
  private readonly slots = new Fifo<Slot>();
  private readonly queued = new Fifo<Queued>();
  /** Handlers started and not yet finished, and how many of them are not Produce. */
  private running = 0;
  private runningOthers = 0;
  private pumping = false;
  private inFlightBytes = 0;
  private paused = false;
  private closed = false;
  private drainWaiters: (() => void)[] = [];
  readonly clientHost: string;
  private readonly clientPort: number;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    private readonly registry: HandlerRegistry,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
    private readonly onClose: (c: Connection) => void,
  ) {
    this.clientHost = socket.remoteAddress ?? "unknown";
    this.clientPort = socket.remotePort ?? 0;
    this.splitter = new FrameSplitter({ maxFrameBytes: limits.maxFrameBytes });
    socket.setNoDelay(true);
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("drain", () => this.updateBackPressure());
    socket.on("timeout", () => {
      // A connection waiting for an answer is not idle, however long the handler takes.
      if (this.slots.length === 0) this.close("idle timeout");
    });
    socket.on("error", (err) => {
      if (!this.closed) this.log.debug({ err }, "socket error");
    });
    socket.on("close", () => this.finish());
  }

  /** Requests received and not yet answered. */
  get pendingRequests(): number {
    return this.slots.length;
  }

  /** True while the connection is not being read (back-pressure or shutdown). */
  get isPaused(): boolean {
    return this.paused;
  }

  stats(): ConnectionStats {
    return {
      id: this.id,
      client: `${this.clientHost}:${this.clientPort}`,
      paused: this.paused,
      inFlightBytes: this.inFlightBytes,
      pendingRequests: this.slots.length,
      bytesRead: this.socket.bytesRead,
      bytesWritten: this.socket.bytesWritten,
    };
  }

  /** Resolves when every request received so far has been answered. */
  drained(): Promise<void> {
    if (this.slots.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Stops reading new requests (the first phase of shutdown). */
  stopReading(): void {
    this.socket.pause();
    this.paused = true;
    this.socket.removeAllListeners("data");
  }

  /**
   * Closes the connection for a reason that is not the client's fault (idle, shutdown). With
   * `graceful`, answers already written are flushed and the client gets a FIN, not a reset:
   * destroying a socket that still holds unread input would reset it, and a reset can make
   * the client drop answers it has not read yet.
   */
  close(reason: string, graceful = false): void {
    if (this.closed) return;
    this.log.debug({ reason }, "closing connection");
    if (graceful) {
      this.socket.end();
      // A client that never closes its side is cut off after a grace period.
      setTimeout(() => this.socket.destroy(), GRACEFUL_CLOSE_MS).unref();
    } else {
      this.socket.destroy();
    }
    this.finish();
  }

  /** Closes the connection because of what the client sent: the one log line it gets is this warning. */
  private refuse(fields: object, msg: string): void {
    if (this.closed) return;
    this.log.warn(fields, msg);
    this.socket.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.drainWaiters.splice(0)) w();
    this.onClose(this);
  }

  private onData(chunk: Buffer): void {
    let frames: Uint8Array[];
    try {
      frames = this.splitter.push(chunk);
    } catch (err) {
      this.refuse({ err: describe(err) }, "closing connection: bad frame");
      return;
    }
    for (const frame of frames) {
      if (this.closed) return;
      this.onFrame(frame);
    }
    this.updateBackPressure();
  }

  private onFrame(frame: Uint8Array): void {
    let decoded: DecodedRequestHeader;
    try {
      decoded = decodeRequestHeader(frame);
    } catch (err) {
      this.refuse({ err: describe(err) }, "closing connection: bad request header");
      return;
    }
    const { header, bodyOffset } = decoded;
    const apiKey = header.requestApiKey;
    const version = header.requestApiVersion;
    const slot: Slot = { bytes: frame.length + REQUEST_OVERHEAD_BYTES, response: null, done: false };
    this.slots.push(slot);
    this.inFlightBytes += slot.bytes;

    if (!this.registry.supports(apiKey, version)) {
      if (apiKey === ApiKey.ApiVersions) {
        // Kafka answers an ApiVersions request it cannot read with v0 and its own ranges.
        this.complete(slot, encodeResponseFrame(ApiKey.ApiVersions, 0, header.correlationId, apiVersionsResponse(this.registry, ErrorCode.UNSUPPORTED_VERSION)));
        return;
      }
      this.refuse({ apiKey, apiVersion: version, clientId: header.clientId }, "closing connection: unsupported API or version");
      return;
    }
    let request: unknown;
    try {
      request = decodeRequest(apiKey, version, frame.subarray(bodyOffset));
    } catch (err) {
      this.refuse({ err: describe(err), apiKey, apiVersion: version }, "closing connection: malformed request");
      return;
    }
    const ctx: RequestContext = {
      apiKey,
      apiVersion: version,
      correlationId: header.correlationId,
      clientId: header.clientId ?? null,
      clientHost: this.clientHost,
      connectionId: this.id,
      log: this.log,
    };
    this.queued.push({ slot, request, ctx });
    this.pump();
  }

  /** A Produce may start beside other Produce requests; anything else only when nothing runs. */
  private canStart(apiKey: number): boolean {
    return apiKey === ApiKey.Produce ? this.runningOthers === 0 : this.running === 0;
  }

  /** Starts the queued requests that may start, in order. Not re-entered by handlers that finish at once. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && this.queued.length > 0 && this.canStart(this.queued.peek()!.ctx.apiKey)) this.start(this.queued.shift()!);
    } finally {
      this.pumping = false;
    }
  }

  private start({ slot, request, ctx }: Queued): void {
    const { apiKey, apiVersion } = ctx;
    const handler = this.registry.get(apiKey)!;
    const other = apiKey !== ApiKey.Produce;
    this.running++;
    if (other) this.runningOthers++;
    const finished = (): void => {
      this.running--;
      if (other) this.runningOthers--;
    };
    let result: ReturnType<typeof handler.handle>;
    try {
      result = handler.handle(request as never, ctx);
    } catch (err) {
      finished();
      this.handlerFailed(err, apiKey, apiVersion);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (response) => {
          finished();
          this.answer(slot, apiKey, apiVersion, ctx.correlationId, response);
          this.pump();
        },
        (err: unknown) => {
          finished();
          this.handlerFailed(err, apiKey, apiVersion);
        },
      );
    } else {
      finished();
      this.answer(slot, apiKey, apiVersion, ctx.correlationId, result);
    }
  }

  private answer(slot: Slot, apiKey: number, version: number, correlationId: number, response: unknown): void {
    if (this.closed) return;
    if (response === NO_RESPONSE) {
      this.complete(slot, null);
      return;
    }
    try {
      this.complete(slot, encodeResponseFrame(apiKey as ApiKey, version, correlationId, response as never));
    } catch (err) {
      this.handlerFailed(err, apiKey, version);
    }
  }

  /** A handler threw: a bug, logged as an error; the connection is closed like for bad input. */
  private handlerFailed(err: unknown, apiKey: number, version: number): void {
    this.log.error({ err, apiKey, apiVersion: version }, this.closed ? "handler failed" : "closing connection: handler failed");
    this.socket.destroy();
    this.finish();
  }

  private complete(slot: Slot, response: Uint8Array[] | null): void {
    slot.response = response;
    slot.done = true;
    this.writeReady();
  }

  /** Writes every answer at the head of the queue that is ready, keeping request order. */
  private writeReady(): void {
    if (this.closed) return;
    const ready: Slot[] = [];
    while (this.slots.length > 0 && this.slots.peek()!.done) ready.push(this.slots.shift()!);
    if (ready.length === 0) return;
    this.socket.cork();
    for (const s of ready) {
      if (s.response !== null) for (const chunk of s.response) this.socket.write(chunk);
      this.inFlightBytes -= s.bytes;
    }
    this.socket.uncork();
    if (this.slots.length === 0) for (const w of this.drainWaiters.splice(0)) w();
    this.updateBackPressure();
  }

  /** Pauses reading while too many request bytes are in flight or the socket's buffer is full. */
  private updateBackPressure(): void {
    if (this.closed) return;
    // A partly received frame does not count: pausing then would never let it complete.
    const busy = this.inFlightBytes > this.limits.maxInFlightBytes || this.socket.writableNeedDrain;
    if (busy && !this.paused) {
      this.paused = true;
      this.socket.pause();
    } else if (!busy && this.paused && this.socket.listenerCount("data") > 0) {
      this.paused = false;
      this.socket.resume();
    }
  }
}

/**
 * A first-in first-out queue with O(1) shift. `Array#shift` is O(n) once an array is large
 * (V8 cannot trim it in place), which made answering a few hundred thousand pipelined requests
 * quadratic: tens of seconds with the event loop blocked for every connection.
 */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

function describe(err: unknown): { code?: string; message: string } {
  if (err instanceof ProtocolError) return { code: err.code, message: err.message };
  return { message: err instanceof Error ? err.message : String(err) };
}
