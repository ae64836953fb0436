import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { ResolvedS3Options } from "./s3-options.js";

/**
 * The SDK client of one S3 store: no SDK retries (the store retries itself),
 * checksums only where S3 requires them (S3-compatible servers such as Ceph
 * refuse the SDK's default trailing checksums on streamed bodies), keep-alive
 * agents sized to `maxConcurrency`, and the HTTP handler's own timeouts set to
 * `requestTimeoutMs` (the store's per-attempt AbortSignal covers body reads).
 */
export function createS3Client(o: ResolvedS3Options): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: o.maxConcurrency };
  const c = o.credentials;
  return new S3Client({
    region: o.region,
    ...(o.endpoint !== undefined ? { endpoint: o.endpoint } : {}),
    forcePathStyle: o.forcePathStyle,
    ...(c !== undefined
      ? { credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}) } }
      : {}),
    maxAttempts: 1,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: o.requestTimeoutMs,
      requestTimeout: o.requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  });
}
