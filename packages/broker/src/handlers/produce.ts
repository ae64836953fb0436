import { ApiKey, ErrorCode, type ProduceResponse, type ProduceResponsePartitionProduceResponse } from "@kafscale/protocol";
import { iterateBatches } from "@kafscale/protocol/records";
import { kafkaErrorCodeFor } from "@kafscale/storage";
import type { BrokerServices } from "../services.js";
import { NO_RESPONSE, defineHandler } from "./handler.js";

/** Why a produced records field uses a feature this broker does not offer yet, or null. */
function unsupportedProducerFeature(records: Uint8Array): string | null {
  try {
    for (const { header } of iterateBatches(records)) {
      if (header.attributes.isTransactional) return "transactional producers are not supported yet";
      if (header.producerId >= 0n) return "idempotent producers are not supported yet: set enable.idempotence=false";
    }
  } catch {
    return null; // malformed batches are refused by the log, with their own error
  }
  return null;
}

/**
 * Produce v0-11. Only RecordBatch v2 is stored, so v0-2 requests (which carry message sets of
 * magic 0 and 1) are answered UNSUPPORTED_FOR_MESSAGE_FORMAT by the log's validation; v0-2 are
 * advertised all the same, as Kafka 3.9 does, because librdkafka before 2.11.1 sends gzip,
 * snappy and lz4 uncompressed to a broker whose lowest Produce version is above 0. Each partition's batches get offsets at once and are answered when the flush
 * that holds them is durable (acks=1 and acks=-1 alike: the broker keeps no replica to wait
 * for); acks=0 gets no response, as in Kafka. A wait longer than the request's timeout answers
 * REQUEST_TIMED_OUT, which producers retry.
 */
export function produceHandler(services: BrokerServices) {
  const { topics, settings } = services;

  return defineHandler({
    apiKey: ApiKey.Produce,
    minVersion: 0,
    maxVersion: 11,
    async handle(request, ctx): Promise<ProduceResponse | typeof NO_RESPONSE> {
      const acks = request.acks;
      const validAcks = acks === 0 || acks === 1 || acks === -1;
      const transactional = request.transactionalId !== undefined && request.transactionalId !== null;
      const waitMs = Math.min(Math.max(request.timeoutMs, 0), settings.maxProduceWaitMs);

      const responses = await Promise.all(
        request.topicData.map(async (topic) => {
          const known = validAcks && !transactional ? await topics.getOrCreate(topic.name, true) : undefined;
          const partitionResponses = await Promise.all(
            topic.partitionData.map(async (p): Promise<ProduceResponsePartitionProduceResponse> => {
              const answer = (errorCode: number, errorMessage: string | null, baseOffset = -1n, logStartOffset = -1n) => ({
                index: p.index,
                errorCode,
                baseOffset,
                logAppendTimeMs: -1n,
                logStartOffset,
                recordErrors: [],
                errorMessage,
              });
              if (!validAcks) return answer(ErrorCode.INVALID_REQUIRED_ACKS, `acks must be -1, 0 or 1, not ${acks}`);
              if (transactional) return answer(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "transactions are not supported yet");
              if (known?.topic === undefined) return answer(known?.errorCode ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, known?.errorMessage ?? null);
              const log = topics.log(topic.name, p.index);
              if (log === undefined) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
              if (p.records === null || p.records.length === 0) return answer(ErrorCode.CORRUPT_MESSAGE, "no record batches");
              const unsupported = unsupportedProducerFeature(p.records);
              if (unsupported !== null) return answer(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, unsupported);
              let appended;
              try {
                appended = log.append(p.records);
              } catch (err) {
                return answer(kafkaErrorCodeFor(err), err instanceof Error ? err.message : String(err));
              }
              if (acks === 0) return answer(ErrorCode.NONE, null, appended.baseOffset, log.logStartOffset);
              const outcome = await waitFor(appended.durable, waitMs);
              if (outcome === "timeout") return answer(ErrorCode.REQUEST_TIMED_OUT, "the flush did not complete within the request timeout");
              if (outcome !== "ok") {
                ctx.log.warn({ err: outcome, topic: topic.name, partition: p.index }, "produce not acknowledged: flush failed");
                return answer(kafkaErrorCodeFor(outcome), "the data could not be stored; retry");
              }
              return answer(ErrorCode.NONE, null, appended.baseOffset, log.logStartOffset);
            }),
          );
          return { name: topic.name, partitionResponses };
        }),
      );
      if (acks === 0) return NO_RESPONSE;
      return { responses, throttleTimeMs: 0 };
    },
  });
}

/** Waits for a promise up to `ms`: "ok", "timeout", or the rejection. */
async function waitFor(promise: Promise<void>, ms: number): Promise<"ok" | "timeout" | unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([promise.then(() => "ok" as const, (err: unknown) => err), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
