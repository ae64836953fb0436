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
 * 2. Advertised APIs (optional). The mock implements no admin APIs, so clients would refuse to
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
}

/** Returns the frame the client should see (header + body, no size prefix). */
export type ResponseRewriter = (apiKey: number, requestVersion: number, frame: Buffer) => Buffer;

const API_VERSIONS = 18;
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
      case FIND_COORDINATOR:
      case DESCRIBE_CLUSTER:
        return rewriteBrokerPort(frame, options.upstream, options.advertised.port);
      case API_VERSIONS:
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
