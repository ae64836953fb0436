/**
 * A minimal S3 client for the benchmark's own requests to the gateway (raw PUTs, listing and
 * deleting a run's objects): path-style addressing, AWS Signature V4 — with the body's SHA-256 in
 * `x-amz-content-sha256` as the AWS SDK sends it (the gateway then hashes the body too), or
 * `UNSIGNED-PAYLOAD` (no hashing on either side) — and keep-alive connections.
 * The bench package has no AWS SDK; this is all it needs.
 */
import { createHash, createHmac } from "node:crypto";
import { Agent, request } from "node:http";

export interface S3Credentials {
  /** `http://host:port` of the gateway. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface S3Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface S3Call {
  method: "GET" | "PUT" | "DELETE" | "HEAD";
  bucket: string;
  /** Object key (unencoded), or "" for the bucket itself. */
  key?: string;
  query?: Record<string, string>;
  body?: Uint8Array;
  /** Sign the body's SHA-256 (as the AWS SDK does) instead of `UNSIGNED-PAYLOAD` (default false). */
  signPayload?: boolean;
  /** Headers sent unsigned, e.g. `if-none-match: *`. */
  extraHeaders?: Record<string, string>;
  agent?: Agent;
  timeoutMs?: number;
}

const sha256Hex = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();
/** RFC 3986 encoding, as SigV4's canonical request wants it. */
const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Sends one SigV4-signed request and buffers the answer. Rejects only on network errors and timeouts. */
export function s3Request(creds: S3Credentials, call: S3Call): Promise<S3Response> {
  const url = new URL(creds.endpoint);
  const path = `/${rfc3986(call.bucket)}${call.key === undefined || call.key === "" ? "" : `/${call.key.split("/").map(rfc3986).join("/")}`}`;
  const query = Object.entries(call.query ?? {})
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const body = call.body ?? new Uint8Array(0);
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const payloadHash = call.signPayload === true ? sha256Hex(body) : "UNSIGNED-PAYLOAD";
  const headers: Record<string, string> = { host: url.host, "x-amz-content-sha256": payloadHash, "x-amz-date": amzDate };
  const names = Object.keys(headers).sort();
  const canonical = [call.method, path, query, names.map((k) => `${k}:${headers[k]}\n`).join(""), names.join(";"), payloadHash].join("\n");
  const scope = `${day}/${creds.region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), creds.region), "s3"), "aws4_request");
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
  Object.assign(headers, call.extraHeaders);
  headers["content-length"] = String(body.length);
  const timeoutMs = call.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: call.method, path: query === "" ? path : `${path}?${query}`, headers, agent: call.agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${call.method} ${path}: no answer in ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** Throws unless the status is 2xx. */
export function expectOk(r: S3Response, what: string): S3Response {
  if (r.status < 200 || r.status > 299) throw new Error(`${what}: HTTP ${r.status} ${r.body.toString("utf8").slice(0, 500)}`);
  return r;
}

export interface ListedObject {
  key: string;
  size: number;
}

/** Every object of a bucket (ListObjectsV2, 1000 per page). */
export async function listObjects(creds: S3Credentials, bucket: string, agent?: Agent): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    const query: Record<string, string> = { "list-type": "2", "max-keys": "1000", ...(token === undefined ? {} : { "continuation-token": token }) };
    const xml = expectOk(await s3Request(creds, { method: "GET", bucket, query, ...(agent ? { agent } : {}) }), `listing ${bucket}`).body.toString("utf8");
    for (const m of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
      const key = /<Key>([\s\S]*?)<\/Key>/.exec(m[1]!)?.[1];
      const size = /<Size>(\d+)<\/Size>/.exec(m[1]!)?.[1];
      if (key !== undefined && size !== undefined) out.push({ key: unescapeXml(key), size: Number(size) });
    }
    token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? /<NextContinuationToken>([\s\S]*?)<\/NextContinuationToken>/.exec(xml)?.[1] : undefined;
    if (token !== undefined) token = unescapeXml(token);
  } while (token !== undefined);
  return out;
}

/** Deletes the given keys, `concurrency` at a time (plain DELETEs: no Content-MD5 needed). */
export async function deleteObjects(creds: S3Credentials, bucket: string, keys: readonly string[], concurrency = 8): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const r = await s3Request(creds, { method: "DELETE", bucket, key, agent });
      if (r.status !== 204 && r.status !== 404 && r.status !== 200) expectOk(r, `deleting ${key}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}
