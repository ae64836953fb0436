import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { isStorageError } from "../../errors.js";
import { validateObjectKey, validateRangeShape } from "../keys.js";
import type { ByteRange, ListOptions, ObjectHead, ObjectListEntry, ObjectStore } from "../object-store.js";
import type { ObjectStoreHealth } from "../store-health.js";
import { createS3Client } from "./s3-client.js";
import { HealthTracker } from "./s3-health.js";
import { loggableEndpoint, resolveS3Options, type ResolvedS3Options, type S3ObjectStoreOptions } from "./s3-options.js";
import { PutBody } from "./s3-put-body.js";
import { storedObjectEquals } from "./s3-put-check.js";
import { S3Requester, type S3Call } from "./s3-requester.js";

/** An {@link ObjectStore} in an S3 bucket, with a health state. */
export interface S3ObjectStore extends ObjectStore {
  /** `healthy`, `degraded` or `unavailable`; see `ObjectStoreHealth` and the `onHealthChange` option. */
  readonly health: ObjectStoreHealth;
}

/**
 * An {@link ObjectStore} on S3 or an S3-compatible server (Ceph RGW…), every
 * key stored under `prefix/`. `putIfAbsent` is a `PutObject` with
 * `If-None-Match: *`; a retry of an ambiguous put (timeout, dropped
 * connection, 5xx) that then meets 412 compares the stored object with the
 * body and succeeds when they are the same. Failures are retried as
 * `S3Requester` describes and end as `StorageError`s (`IO`, `TIMEOUT`,
 * `NOT_FOUND`, `EXISTS`, `INVALID_RANGE`, `CLOSED`).
 */
export function createS3ObjectStore(options: S3ObjectStoreOptions): S3ObjectStore {
  return new S3Store(resolveS3Options(options));
}

class S3Store implements S3ObjectStore {
  readonly #o: ResolvedS3Options;
  readonly #client: S3Client;
  readonly #health: HealthTracker;
  readonly #r: S3Requester;

  constructor(o: ResolvedS3Options) {
    this.#o = o;
    this.#client = createS3Client(o);
    const fields = { bucket: o.bucket, prefix: o.prefix, endpoint: loggableEndpoint(o.endpoint) };
    this.#health = new HealthTracker({
      unavailableAfterFailures: o.unavailableAfterFailures,
      healthyAfterSuccesses: o.healthyAfterSuccesses,
      logger: o.logger,
      onChange: o.onHealthChange,
      fields,
    });
    this.#r = new S3Requester(o, this.#health);
  }

  get health(): ObjectStoreHealth {
    return this.#health.state;
  }

  /**
   * A `PutObject` with `If-None-Match: *` whose body is streamed from the
   * caller's chunks (never concatenated), a fresh stream per attempt with an
   * explicit Content-Length.
   *
   * The payload is unsigned by default: with a stream body the SDK's SigV4
   * signer sends `x-amz-content-sha256: UNSIGNED-PAYLOAD` instead of hashing
   * the body (and with `requestChecksumCalculation: "WHEN_REQUIRED"` no
   * checksum is computed either), which saves a SHA-256 pass over every
   * segment. The signature still covers the method, key, headers
   * (`If-None-Match`, Content-Length…) and date, so nobody without the
   * secret can forge or redirect a put. What is given up is S3's own check
   * that the bytes arrived as sent (TCP's checksum remains). That is
   * acceptable because over HTTPS TLS already guarantees it, and in any case
   * every segment carries a CRC-32C of its body, checked by `verifySegment`
   * whenever a segment is read whole; ranged reads check the batches'
   * framing and offsets (an `.index` that does not match its segment fails
   * them too), and every record batch carries its own CRC-32C for consumers
   * that check it. `signPayload: true` restores the signed hash (computed
   * over the chunks, no concatenation), and Ceph or S3 then refuse a body
   * damaged on the way.
   */
  async putIfAbsent(key: string, body: Uint8Array | readonly Uint8Array[]): Promise<void> {
    validateObjectKey(key);
    const data = new PutBody(body);
    const Key = this.#o.prefix + key;
    const sha256 = this.#o.signPayload ? data.digest("sha256") : undefined;
    await this.#r.call("put", key, async (call) => {
      try {
        await this.#r.request(call, (abortSignal, requestTimeout) => {
          const stream = data.stream();
          const command = new PutObjectCommand({ Bucket: this.#o.bucket, Key, Body: stream, ContentLength: data.length, IfNoneMatch: "*" });
          if (sha256 !== undefined) {
            // A given x-amz-content-sha256 is what the signer signs (instead of UNSIGNED-PAYLOAD for a stream).
            command.middlewareStack.add(
              (next) => (args) => {
                const request = args.request as { headers?: Record<string, string> };
                if (request.headers !== undefined) request.headers["x-amz-content-sha256"] = sha256;
                return next(args);
              },
              { step: "build", name: "kafscaleSignedPayload" },
            );
          }
          // Not destroyed when the answer comes early (a 412 before the body is sent): the request must
          // still end for its keep-alive socket to be reused. An aborted attempt destroys the request.
          return this.#client.send(command, { abortSignal, requestTimeout });
        });
      } catch (err) {
        // 412 after a failed attempt: that attempt may have stored this very body.
        if (!isStorageError(err, "EXISTS") || !call.retried) throw err;
        const stored = { head: () => this.#headObject(call, Key), read: () => this.#read(call, Key) };
        if (!(await storedObjectEquals(stored, data))) throw err;
        this.#o.logger.info({ key, attempts: call.attempts }, "S3 put: 412 on retry, but the stored object is this body; an earlier attempt stored it");
      }
    });
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    validateObjectKey(key);
    if (range !== undefined) validateRangeShape(range);
    return this.#r.call("get", key, (call) => this.#read(call, this.#o.prefix + key, range));
  }

  async head(key: string): Promise<ObjectHead | null> {
    validateObjectKey(key);
    return this.#r.call("head", key, async (call) => {
      try {
        return { size: (await this.#headObject(call, this.#o.prefix + key)).ContentLength ?? 0 };
      } catch (err) {
        if (isStorageError(err, "NOT_FOUND")) return null;
        throw err;
      }
    });
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectListEntry> {
    const strip = this.#o.prefix.length;
    let StartAfter = options.startAfter === undefined ? undefined : this.#o.prefix + options.startAfter;
    let ContinuationToken: string | undefined;
    do {
      const command = new ListObjectsV2Command({ Bucket: this.#o.bucket, Prefix: this.#o.prefix + prefix, StartAfter, ContinuationToken });
      const page = await this.#r.call("list", prefix, (call) =>
        this.#r.request(call, (abortSignal, requestTimeout) => this.#client.send(command, { abortSignal, requestTimeout })),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) yield { key: object.Key.slice(strip), size: object.Size ?? 0 };
      }
      ContinuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      StartAfter = undefined;
    } while (ContinuationToken !== undefined);
  }

  async delete(key: string): Promise<void> {
    validateObjectKey(key);
    await this.#r.call("delete", key, async (call) => {
      try {
        await this.#r.request(call, (abortSignal, requestTimeout) =>
          this.#client.send(new DeleteObjectCommand({ Bucket: this.#o.bucket, Key: this.#o.prefix + key }), { abortSignal, requestTimeout }),
        );
      } catch (err) {
        if (!isStorageError(err, "NOT_FOUND")) throw err;
      }
    });
  }

  async close(): Promise<void> {
    if (this.#r.closed) return;
    this.#r.close();
    this.#client.destroy();
  }

  /** A HEAD of `Key` (the full S3 key) inside `call`. */
  #headObject(call: S3Call, Key: string): Promise<HeadObjectCommandOutput> {
    return this.#r.request(call, (abortSignal, requestTimeout) =>
      this.#client.send(new HeadObjectCommand({ Bucket: this.#o.bucket, Key }), { abortSignal, requestTimeout }),
    );
  }

  /** A GET of `Key` (the full S3 key; or a range of it) inside `call`, body read within the attempt. */
  #read(call: S3Call, Key: string, range?: ByteRange): Promise<Uint8Array> {
    const Range = range === undefined ? undefined : `bytes=${range.start}-${range.end === undefined ? "" : range.end - 1}`;
    return this.#r.request(call, async (abortSignal, requestTimeout) => {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.#o.bucket, Key, Range }), { abortSignal, requestTimeout });
      if (out.Body === undefined) return new Uint8Array(0);
      const stream = out.Body as unknown as Readable;
      const abort = (): void => void stream.destroy(new Error("aborted"));
      abortSignal.addEventListener("abort", abort, { once: true });
      try {
        const bytes = await out.Body.transformToByteArray();
        if (out.ContentLength !== undefined && bytes.length !== out.ContentLength) {
          throw Object.assign(new Error(`response body cut short: ${bytes.length} of ${out.ContentLength} bytes`), { code: "ETRUNCATED" });
        }
        return bytes;
      } finally {
        abortSignal.removeEventListener("abort", abort);
      }
    });
  }
}
