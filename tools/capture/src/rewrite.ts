/**
 * The only place where the capture proxy changes bytes on their way to the client. Fixtures are
 * always written from the ORIGINAL bytes the mock sent; these rewrites exist so that clients
 * keep talking through the proxy and reach the code paths we want to capture.
 *
 * 1. Broker addresses. The mock advertises its own host:port in Metadata, FindCoordinator and
 *    DescribeCluster responses; clients would connect there directly after the first Metadata
 *    response. The proxy listens on the same host as the mock, so only the INT32 port differs
 *    and frame lengths never change: the rewrite replaces the 4 port bytes that follow every
 *    occurrence of the encoded host string. (A codec-based version would be
 *    `decodeResponse → set brokers[].port / port / coordinators[].port → encodeResponse`; swap
 *    it in here once @kafscale/protocol can do that.)
 * 2. Controller id. The mock reports controller id 0 in Metadata responses, but its brokers are
 *    numbered from 1, so clients never find a controller and never send controller requests
 *    (CreateTopics, DeleteTopics, CreatePartitions). The rewrite sets it to the first broker's id
 *    (an INT32 in place, lengths unchanged).
 * 3. ApiVersions v3+. Both mocks implement ApiVersions up to v2 only, and answer a v3 request
 *    (what librdkafka and @platformatic/kafka send first) with UNSUPPORTED_VERSION in a malformed
 *    half-v0/half-v3 encoding. librdkafka falls back to v0; @platformatic/kafka cannot. Given the
 *    mock's API list (`mockApis`, which the proxy asks for once at start), the client is shown a
 *    well-formed successful response of the version it asked for, as Kafka 3.9 would send.
 * 4. Advertised APIs (optional). The mock implements no admin APIs, so clients would refuse to
 *    send CreateTopics, DescribeConfigs, ... at all. With `extraApis`, successful ApiVersions
 *    responses are extended with the APIs in that list that the mock does not list itself, so
 *    that clients send those requests (at the version they would pick against Kafka 3.9); the
 *    mock then closes the connection, and only the request is captured.
 */

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface ApiVersionEntry {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

export interface RewriteOptions {
  /** The address the mock advertises. */
  readonly upstream: HostPort;
  /** The proxy's address, which clients must use instead. */
  readonly advertised: HostPort;
  /** APIs to add to successful ApiVersions responses when the mock does not list them. */
  readonly extraApis?: readonly ApiVersionEntry[];
  /** What the mock supports (its ApiVersions v0 answer); enables rewrite 3. */
  readonly mockApis?: readonly ApiVersionEntry[];
}

/** Returns the frame the client should see (header + body, no size prefix). */
export type ResponseRewriter = (apiKey: number, requestVersion: number, frame: Buffer) => Buffer;

const API_VERSIONS = 18;
const UNSUPPORTED_VERSION = 35;
const METADATA = 3;
const FIND_COORDINATOR = 10;
const DESCRIBE_CLUSTER = 60;

export function createResponseRewriter(options: RewriteOptions): ResponseRewriter {
  if (options.upstream.host !== options.advertised.host) {
    throw new Error(
      `the proxy must listen on the host the mock advertises (${options.upstream.host}), ` +
        `not ${options.advertised.host}: the port-only rewrite keeps frame lengths unchanged`,
    );
  }
  const extraApis = options.extraApis ?? [];
  return (apiKey, requestVersion, frame) => {
    switch (apiKey) {
      case METADATA:
        return fixControllerId(rewriteBrokerPort(frame, options.upstream, options.advertised.port), requestVersion);
      case FIND_COORDINATOR:
      case DESCRIBE_CLUSTER:
        return rewriteBrokerPort(frame, options.upstream, options.advertised.port);
      case API_VERSIONS:
        if (options.mockApis && requestVersion >= 3 && frame.length >= 6 && frame.readInt16BE(4) === UNSUPPORTED_VERSION) {
          return encodeApiVersionsResponse(frame.readInt32BE(0), requestVersion, mergeApis(options.mockApis, extraApis));
        }
        return extraApis.length > 0 ? addApiVersions(frame, requestVersion, extraApis) : frame;
      default:
        return frame;
    }
  };
}

/** Replaces the INT32 port after every occurrence of the host string. */
export function rewriteBrokerPort(frame: Buffer, upstream: HostPort, port: number): Buffer {
  const needle = Buffer.alloc(upstream.host.length + 4);
  needle.write(upstream.host, 0, "latin1");
  needle.writeInt32BE(upstream.port, upstream.host.length);
  let at = frame.indexOf(needle);
  if (at < 0) return frame;
  const out = Buffer.from(frame);
  while (at >= 0) {
    out.writeInt32BE(port, at + upstream.host.length);
    at = out.indexOf(needle, at + needle.length);
  }
  return out;
}

// ---- Metadata response: controller id ------------------------------------------------------

/**
 * Walks a Metadata response (v1-v12; v0 has no controller id) up to ControllerId and, if it
 * names no listed broker, replaces it with the first broker's id. Header v1 from v9 on.
 */
export function fixControllerId(frame: Buffer, version: number): Buffer {
  if (version < 1) return frame;
  try {
    const flexible = version >= 9;
    const c: Cursor = { offset: 4 };
    if (flexible) readTaggedFields(frame, c);
    if (version >= 3) c.offset += 4; // ThrottleTimeMs
    const readString = () => {
      const length = flexible ? readUvarint(frame, c) - 1 : frame.readInt16BE(c.offset);
      if (!flexible) c.offset += 2;
      if (length > 0) c.offset += length;
    };
    const count = flexible ? readUvarint(frame, c) - 1 : frame.readInt32BE(c.offset);
    if (!flexible) c.offset += 4;
    const brokerIds: number[] = [];
    for (let i = 0; i < count; i++) {
      brokerIds.push(frame.readInt32BE(c.offset));
      c.offset += 4;
      readString(); // Host
      c.offset += 4; // Port
      readString(); // Rack (v1+)
      if (flexible) readTaggedFields(frame, c);
    }
    if (version >= 2) readString(); // ClusterId
    const controllerId = frame.readInt32BE(c.offset);
    if (brokerIds.length === 0 || brokerIds.includes(controllerId)) return frame;
    const out = Buffer.from(frame);
    out.writeInt32BE(brokerIds[0]!, c.offset);
    return out;
  } catch {
    return frame;
  }
}

// ---- ApiVersions response (header v0 = INT32 correlation id, always) ------------------------

interface Cursor {
  offset: number;
}

function readUvarint(buf: Buffer, c: Cursor): number {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf.readUInt8(c.offset++);
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return value >>> 0;
    shift += 7;
    if (shift > 28) throw new Error("uvarint too long");
  }
}

function writeUvarint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value >>> 0;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** Skips a tagged-field section, returns its raw bytes. */
function readTaggedFields(buf: Buffer, c: Cursor): Buffer {
  const start = c.offset;
  const count = readUvarint(buf, c);
  for (let i = 0; i < count; i++) {
    readUvarint(buf, c); // tag
    const size = readUvarint(buf, c);
    c.offset += size;
  }
  return buf.subarray(start, c.offset);
}

function mergeApis(base: readonly ApiVersionEntry[], extra: readonly ApiVersionEntry[]): ApiVersionEntry[] {
  const listed = new Set(base.map((e) => e.apiKey));
  return [...base, ...extra.filter((e) => !listed.has(e.apiKey))].sort((a, b) => a.apiKey - b.apiKey);
}

/** A successful ApiVersions response (header v0 + body) of `version` 0-4, no tagged fields. */
export function encodeApiVersionsResponse(correlationId: number, version: number, apis: readonly ApiVersionEntry[]): Buffer {
  const flexible = version >= 3;
  const parts: Buffer[] = [];
  const head = Buffer.alloc(6);
  head.writeInt32BE(correlationId, 0);
  head.writeInt16BE(0, 4); // ErrorCode
  parts.push(head);
  if (flexible) parts.push(writeUvarint(apis.length + 1));
  else {
    const count = Buffer.alloc(4);
    count.writeInt32BE(apis.length, 0);
    parts.push(count);
  }
  for (const api of apis) {
    const entry = Buffer.alloc(flexible ? 7 : 6);
    entry.writeInt16BE(api.apiKey, 0);
    entry.writeInt16BE(api.minVersion, 2);
    entry.writeInt16BE(api.maxVersion, 4);
    parts.push(entry);
  }
  if (version >= 1) parts.push(Buffer.alloc(4)); // ThrottleTimeMs
  if (flexible) parts.push(Buffer.alloc(1)); // no tagged fields
  return Buffer.concat(parts);
}

/** Parses a v0 ApiVersions response (header v0 + body). */
export function decodeApiVersionsV0(frame: Buffer): ApiVersionEntry[] {
  const errorCode = frame.readInt16BE(4);
  if (errorCode !== 0) throw new Error(`ApiVersions v0 failed with error ${errorCode}`);
  const count = frame.readInt32BE(6);
  const apis: ApiVersionEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = 10 + i * 6;
    apis.push({ apiKey: frame.readInt16BE(at), minVersion: frame.readInt16BE(at + 2), maxVersion: frame.readInt16BE(at + 4) });
  }
  return apis;
}

/**
 * Adds `extra` entries to a successful ApiVersions response of version `version` (0-4).
 * Error responses, and frames this reader does not understand, are returned unchanged.
 */
export function addApiVersions(frame: Buffer, version: number, extra: readonly ApiVersionEntry[]): Buffer {
  try {
    const c: Cursor = { offset: 4 };
    const errorCode = frame.readInt16BE(c.offset);
    c.offset += 2;
    if (errorCode !== 0) return frame;
    const flexible = version >= 3;
    const count = flexible ? readUvarint(frame, c) - 1 : frame.readInt32BE(c.offset);
    if (!flexible) c.offset += 4;
    const entries: { apiKey: number; bytes: Buffer }[] = [];
    for (let i = 0; i < count; i++) {
      const start = c.offset;
      const apiKey = frame.readInt16BE(c.offset);
      c.offset += 6;
      if (flexible) readTaggedFields(frame, c);
      entries.push({ apiKey, bytes: frame.subarray(start, c.offset) });
    }
    const rest = frame.subarray(c.offset); // throttle time, tagged fields
    const listed = new Set(entries.map((e) => e.apiKey));
    for (const api of extra) {
      if (listed.has(api.apiKey)) continue;
      const bytes = Buffer.alloc(flexible ? 7 : 6);
      bytes.writeInt16BE(api.apiKey, 0);
      bytes.writeInt16BE(api.minVersion, 2);
      bytes.writeInt16BE(api.maxVersion, 4);
      entries.push({ apiKey: api.apiKey, bytes }); // flexible: trailing 0 = no tagged fields
    }
    if (entries.length === count) return frame;
    entries.sort((a, b) => a.apiKey - b.apiKey);
    const countBytes = flexible ? writeUvarint(entries.length + 1) : Buffer.alloc(4);
    if (!flexible) countBytes.writeInt32BE(entries.length, 0);
    return Buffer.concat([frame.subarray(0, 6), countBytes, ...entries.map((e) => e.bytes), rest]);
  } catch {
    return frame;
  }
}
