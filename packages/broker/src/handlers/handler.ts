import type { ApiKey, RequestTypes, ResponseTypes } from "@kafscale/protocol";
import type { Logger } from "../logger.js";

/** What a handler knows about the request besides its body. */
export interface RequestContext {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** The client's address as the socket sees it. */
  readonly clientHost: string;
  readonly connectionId: number;
  readonly log: Logger;
}

/** Returned by a handler when Kafka sends no response (a produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol("no response");
export type NoResponse = typeof NO_RESPONSE;

/**
 * One Kafka API: typed request in, typed response out, whatever the version (the version is in
 * the context for the few behaviours that depend on it). A handler answers errors with Kafka
 * error codes in its response; throwing is for bugs and closes the connection with a log line.
 */
export interface ApiHandler<K extends ApiKey = ApiKey> {
  readonly apiKey: K;
  /** The versions this handler serves; ApiVersions advertises exactly these. */
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(request: RequestTypes[K], ctx: RequestContext): Promise<ResponseTypes[K] | NoResponse> | ResponseTypes[K] | NoResponse;
}

/** Declares a handler with its key and types tied together. */
export function defineHandler<K extends ApiKey>(handler: ApiHandler<K>): ApiHandler<K> {
  return handler;
}
