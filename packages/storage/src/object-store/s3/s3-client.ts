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
 * The SDK's own warnings go to the store's logger at debug: without a logger
 * it would `console.warn` "non-retryable streaming request" for every failed
 * put (a 412 included), puts having stream bodies and the store retrying
 * itself.
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
    logger: sdkLogger(o),
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

/**
 * The SDK's logger: warnings (their text only) at debug on the store's logger.
 * Nothing else: its per-command info and error lines carry inputs and outputs,
 * and the store logs its own failures.
 */
function sdkLogger(o: ResolvedS3Options): { trace(): void; debug(): void; info(): void; warn(...content: unknown[]): void; error(): void } {
  const drop = (): void => {};
  const warn = (...content: unknown[]): void => {
    const text = content.filter((c): c is string => typeof c === "string").join(" ");
    if (text !== "") o.logger.debug({}, `S3 SDK warning: ${text}`);
  };
  return { trace: drop, debug: drop, info: drop, warn, error: drop };
}
