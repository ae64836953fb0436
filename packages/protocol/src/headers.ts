import { APIS, ApiKey } from "./gen/api-registry.js";
import { RequestHeader } from "./gen/request-header.js";
import { ResponseHeader } from "./gen/response-header.js";
import { ProtocolError, Reader } from "./codec/index.js";

/**
 * The request header version for an API version, by the spec's rules: v2 for flexible
 * versions, v1 otherwise, and v0 only for ControlledShutdown v0. Versions above an API's
 * newest still follow its open-ended flexible range, so an ApiVersions request of a version
 * this codec does not know still has its header read correctly. Unknown API keys get v1.
 */
export function requestHeaderVersion(apiKey: number, version: number): number {
  if (apiKey === ApiKey.ControlledShutdown && version === 0) return 0;
  const api = APIS[apiKey as ApiKey];
  if (api === undefined) return 1;
  return api.flexibleMinVersion >= 0 && version >= api.flexibleMinVersion ? 2 : 1;
}

/**
 * The response header version: v1 for flexible versions, v0 otherwise, and always v0 for
 * ApiVersions (a client must be able to read the answer before it knows the versions).
 */
export function responseHeaderVersion(apiKey: number, version: number): number {
  if (apiKey === ApiKey.ApiVersions) return 0;
  const api = APIS[apiKey as ApiKey];
  if (api === undefined) return 0;
  return api.flexibleMinVersion >= 0 && version >= api.flexibleMinVersion ? 1 : 0;
}

export interface DecodedRequestHeader {
  header: RequestHeader;
  headerVersion: number;
  /** Where the request body starts in the frame. */
  bodyOffset: number;
}

/** Reads the request header at the start of a frame (the bytes after the size prefix). */
export function decodeRequestHeader(frame: Uint8Array): DecodedRequestHeader {
  if (frame.length < 4) throw new ProtocolError("TRUNCATED", `request frame of ${frame.length} bytes has no API key and version`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const headerVersion = requestHeaderVersion(view.getInt16(0), view.getInt16(2));
  const r = new Reader(frame);
  const header = RequestHeader.read(r, headerVersion);
  return { header, headerVersion, bodyOffset: r.pos };
}

export function encodeRequestHeader(header: RequestHeader, headerVersion: number): Uint8Array {
  return RequestHeader.encode(header, headerVersion);
}

export interface DecodedResponseHeader {
  header: ResponseHeader;
  bodyOffset: number;
}

/** Reads the response header at the start of a frame; the version comes from `responseHeaderVersion`. */
export function decodeResponseHeader(frame: Uint8Array, headerVersion: number): DecodedResponseHeader {
  const r = new Reader(frame);
  const header = ResponseHeader.read(r, headerVersion);
  return { header, bodyOffset: r.pos };
}

export function encodeResponseHeader(header: ResponseHeader, headerVersion: number): Uint8Array {
  return ResponseHeader.encode(header, headerVersion);
}
