import { APIS, type ApiKey, type RequestTypes, type ResponseTypes } from "./gen/api-registry.js";
import type { ApiDescriptor } from "./api-descriptor.js";
import { ProtocolError, Writer, type MessageCodec } from "./codec/index.js";
import { RequestHeader } from "./gen/request-header.js";
import { ResponseHeader } from "./gen/response-header.js";
import { requestHeaderVersion, responseHeaderVersion } from "./headers.js";

/** The API with this key, or undefined when the spec folder has none. */
export function apiByKey(apiKey: number): ApiDescriptor | undefined {
  return (APIS as Record<number, ApiDescriptor | undefined>)[apiKey];
}

/** Every API, in key order. */
export function allApis(): ApiDescriptor[] {
  return Object.values(APIS as Record<number, ApiDescriptor>).sort((a, b) => a.apiKey - b.apiKey);
}

function codecFor(apiKey: number, version: number, side: "request" | "response"): MessageCodec<unknown> {
  const api = apiByKey(apiKey);
  if (api === undefined) throw new ProtocolError("UNKNOWN_API_KEY", `unknown API key ${apiKey}`);
  if (!Number.isInteger(version) || version < api.minVersion || version > api.maxVersion) {
    throw new ProtocolError("UNSUPPORTED_VERSION", `${api.name} has versions ${api.minVersion}-${api.maxVersion}, not ${version}`);
  }
  return api[side];
}

/** Decodes a request body (the bytes after the header); trailing bytes are ignored, as Kafka does. */
export function decodeRequest<K extends ApiKey>(apiKey: K, version: number, body: Uint8Array): RequestTypes[K];
export function decodeRequest(apiKey: number, version: number, body: Uint8Array): unknown;
export function decodeRequest(apiKey: number, version: number, body: Uint8Array): unknown {
  return codecFor(apiKey, version, "request").decode(body, version);
}

export function encodeRequest<K extends ApiKey>(apiKey: K, version: number, message: RequestTypes[K]): Uint8Array;
export function encodeRequest(apiKey: number, version: number, message: unknown): Uint8Array;
export function encodeRequest(apiKey: number, version: number, message: unknown): Uint8Array {
  return codecFor(apiKey, version, "request").encode(message, version);
}

/** Decodes a response body (the bytes after the header). */
export function decodeResponse<K extends ApiKey>(apiKey: K, version: number, body: Uint8Array): ResponseTypes[K];
export function decodeResponse(apiKey: number, version: number, body: Uint8Array): unknown;
export function decodeResponse(apiKey: number, version: number, body: Uint8Array): unknown {
  return codecFor(apiKey, version, "response").decode(body, version);
}

export function encodeResponse<K extends ApiKey>(apiKey: K, version: number, message: ResponseTypes[K]): Uint8Array;
export function encodeResponse(apiKey: number, version: number, message: unknown): Uint8Array;
export function encodeResponse(apiKey: number, version: number, message: unknown): Uint8Array {
  return codecFor(apiKey, version, "response").encode(message, version);
}

/** Writes the 4-byte size prefix in front of what the writer holds once it is finished. */
function framed(write: (w: Writer) => void): Uint8Array[] {
  const w = new Writer();
  w.int32(0);
  write(w);
  const chunks = w.chunks();
  const first = chunks[0]!;
  new DataView(first.buffer, first.byteOffset, 4).setInt32(0, w.length - 4);
  return chunks;
}

/**
 * A whole request frame, size prefix and header included, as views ready for a vectored
 * write (large byte fields such as records are referenced, not copied).
 */
export function encodeRequestFrame<K extends ApiKey>(
  apiKey: K,
  version: number,
  correlationId: number,
  clientId: string | null,
  message: RequestTypes[K],
): Uint8Array[] {
  const codec = codecFor(apiKey, version, "request");
  const header: RequestHeader = { requestApiKey: apiKey, requestApiVersion: version, correlationId, clientId };
  return framed((w) => {
    RequestHeader.write(w, header, requestHeaderVersion(apiKey, version));
    codec.write(w, message, version);
  });
}

/** A whole response frame, size prefix and header included, as views for a vectored write. */
export function encodeResponseFrame<K extends ApiKey>(apiKey: K, version: number, correlationId: number, message: ResponseTypes[K]): Uint8Array[] {
  const codec = codecFor(apiKey, version, "response");
  return framed((w) => {
    ResponseHeader.write(w, { correlationId }, responseHeaderVersion(apiKey, version));
    codec.write(w, message, version);
  });
}
