import { createHash, createHmac } from "node:crypto";
import { request } from "node:http";

/** One S3 request signed with AWS Signature V4 (path-style; no SDK needed). */
export interface SignedS3Request {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  method: "GET" | "PUT" | "DELETE" | "HEAD";
  /** Path-style path, e.g. `/bucket` or `/bucket/key`; each segment is URI-encoded here. */
  path: string;
  body?: Uint8Array;
}

const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();
/** RFC 3986 encoding, as SigV4's canonical URI wants it. */
const uriEncode = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Sends a SigV4-signed request and returns its status and body as text. Used
 * by the Ceph harness to create buckets and check that the S3 user works.
 */
export async function signedS3Request(r: SignedS3Request): Promise<{ status: number; body: string }> {
  const url = new URL(r.endpoint);
  const path = r.path.split("/").map(uriEncode).join("/");
  const body = r.body ?? new Uint8Array(0);
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256(body);
  const headers: Record<string, string> = { host: url.host, "x-amz-content-sha256": payloadHash, "x-amz-date": amzDate };
  const signedHeaders = Object.keys(headers).sort().join(";");
  const canonicalHeaders = Object.keys(headers).sort().map((k) => `${k}:${headers[k]}\n`).join("");
  const canonicalRequest = [r.method, path, "", canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const scope = `${day}/${r.region}/s3/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${r.secretAccessKey}`, day), r.region), "s3"), "aws4_request");
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  const authorization = `AWS4-HMAC-SHA256 Credential=${r.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return send(new URL(path, url), r.method, { ...headers, authorization }, body);
}

function send(url: URL, method: string, headers: Record<string, string>, body: Uint8Array): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, "content-length": String(body.length) }, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url.pathname}: no answer in 30 s`)));
    req.on("error", reject);
    req.end(body);
  });
}
