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

export interface ConnectionLimits {
  /** Largest request frame accepted; a larger size prefix closes the connection. */
  maxFrameBytes: number;
  /** Request bytes being handled or answered at once before the connection stops being read. */
  maxInFlightBytes: number;
  /** A connection with nothing in flight for this long is closed. */
  idleTimeoutMs: number;
}

/** A request whose answer is being prepared; answers leave in the order requests came. */
interface Slot {
  bytes: number;
  response: Uint8Array[] | null;
  done: boolean;
}

/**
 * One client connection: splits frames, decodes, hands each request to its handler, and writes
 * the answers in request order (pipelining). Reading pauses while too many bytes are in flight.
 * Bad input closes the connection with one log line; it never throws out of here.
 */
export class Connection {
  private readonly splitter: FrameSplitter;
  private readonly slots: Slot[] = [];
  private inFlightBytes = 0;
  private paused = false;
  private closed = false;
  private drainWaiters: (() => void)[] = [];
  readonly clientHost: string;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    private readonly registry: HandlerRegistry,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
    private readonly onClose: (c: Connection) => void,
  ) {
    this.clientHost = socket.remoteAddress ?? "unknown";
    this.splitter = new FrameSplitter({ maxFrameBytes: limits.maxFrameBytes });
    socket.setNoDelay(true);
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("drain", () => this.updateBackPressure());
    socket.on("timeout", () => {
      if (this.slots.length === 0) this.close("idle timeout");
    });
    socket.on("error", (err) => this.log.debug({ err }, "socket error"));
    socket.on("close", () => this.finish());
  }

  /** Requests received and not yet answered. */
  get pendingRequests(): number {
    return this.slots.length;
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

  close(reason: string): void {
    if (this.closed) return;
    this.log.debug({ reason }, "closing connection");
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
      this.log.warn({ err: describe(err), client: this.clientHost }, "closing connection: bad frame");
      this.close("bad frame");
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
      this.log.warn({ err: describe(err), client: this.clientHost }, "closing connection: bad request header");
      this.close("bad header");
      return;
    }
    const { header, bodyOffset } = decoded;
    const apiKey = header.requestApiKey;
    const version = header.requestApiVersion;
    const slot: Slot = { bytes: frame.length, response: null, done: false };
    this.slots.push(slot);
    this.inFlightBytes += frame.length;

    if (!this.registry.supports(apiKey, version)) {
      if (apiKey === ApiKey.ApiVersions) {
        // Kafka answers an ApiVersions request it cannot read with v0 and its own ranges.
        this.complete(slot, encodeResponseFrame(ApiKey.ApiVersions, 0, header.correlationId, apiVersionsResponse(this.registry, ErrorCode.UNSUPPORTED_VERSION)));
        return;
      }
      this.log.warn({ apiKey, apiVersion: version, client: this.clientHost, clientId: header.clientId }, "closing connection: unsupported API or version");
      this.close("unsupported API version");
      return;
    }
    let request: unknown;
    try {
      request = decodeRequest(apiKey, version, frame.subarray(bodyOffset));
    } catch (err) {
      this.log.warn({ err: describe(err), apiKey, apiVersion: version, client: this.clientHost }, "closing connection: malformed request");
      this.close("malformed request");
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
    const handler = this.registry.get(apiKey)!;
    let result: ReturnType<typeof handler.handle>;
    try {
      result = handler.handle(request as never, ctx);
    } catch (err) {
      this.handlerFailed(err, apiKey, version);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (response) => this.answer(slot, apiKey, version, header.correlationId, response),
        (err: unknown) => this.handlerFailed(err, apiKey, version),
      );
    } else {
      this.answer(slot, apiKey, version, header.correlationId, result);
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

  private handlerFailed(err: unknown, apiKey: number, version: number): void {
    this.log.error({ err, apiKey, apiVersion: version, client: this.clientHost }, "closing connection: handler failed");
    this.close("handler failed");
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
    while (this.slots.length > 0 && this.slots[0]!.done) ready.push(this.slots.shift()!);
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

function describe(err: unknown): { code?: string; message: string } {
  if (err instanceof ProtocolError) return { code: err.code, message: err.message };
  return { message: err instanceof Error ? err.message : String(err) };
}
