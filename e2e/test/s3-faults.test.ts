import { describe, expect, it } from "vitest";
import { problemsOf, readsNotInLog, summaryOf } from "../src/ack-checker.js";
import { expectBackendUsed, startBackend, useBackendBroker } from "../src/backends.js";
import { CommittingConsumer, commitMismatches, offsetsOf, readAll, recordsIn } from "../src/durability-consumer.js";
import { AckedProducer, LOCAL_RETRIABLE_ERRORS, RETRIABLE_BROKER_ERRORS } from "../src/durability-producer.js";
import { testSeed } from "../src/durability-seed.js";
import { describePhases, runFaultPhases, s3FaultSchedule } from "../src/fault-phases.js";
import { ColdReader } from "../src/fault-reader.js";
import { CONFLUENT_KAFKA_MODULES, requireKcat, requirePythonModules } from "../src/preflight.js";

/** Messages of the cold topic (about 1 kB each, so each partition's segment outgrows the cache). */
const COLD_MESSAGES = 400;

/**
 * The broker's S3 (Ceph RGW) sits behind the fault proxy, metadata in etcd. While librdkafka
 * produces with acks=all, a consumer group reads that topic as it grows, and kcat reads a topic
 * of big segments (bigger than the segment cache, so every read goes to S3) again and again, the
 * proxy answers 500 to reads and 503 SlowDown to the rest, delays responses past the broker's
 * request timeout, drops connections (before and after the request took effect), then fails a
 * fraction of requests; healthy stretches lie between. Proves: the broker never crashes (same
 * process); the producer's requests fail with retriable Kafka errors (librdkafka retries them)
 * or wait; every message ends acknowledged or reported failed by the client (nothing silent);
 * the checker finds every acknowledged message in place with no duplicate offset and no gap;
 * whatever the readers got during the faults is what the log holds; after the faults producing,
 * reading and committing go on.
 */
describe("S3 faults", () => {
  const env = useBackendBroker(() => startBackend("s3-faults+etcd"), {
    env: {
      KAFSCALE_S3_REQUEST_TIMEOUT_MS: "1000",
      KAFSCALE_S3_OPERATION_TIMEOUT_MS: "4000",
      // smaller than one segment of the cold topic (never cached: every read of it goes to S3),
      // larger than the produced topic's small segments (its group reads the recent ones from memory)
      KAFSCALE_CACHE_BYTES: "16384",
      KAFSCALE_DEFAULT_PARTITIONS: "4",
    },
  });

  it("answers retriable errors during S3 faults, loses nothing acknowledged, and never crashes", async () => {
    requirePythonModules(CONFLUENT_KAFKA_MODULES);
    requireKcat();
    const started = Date.now();
    const proxy = env.backend.proxy!;
    const topic = "s3-faults";
    const pid = env.broker.pid;

    const producer = new AckedProducer("acked-producer", { bootstrap: env.bootstrap, topic, run: "s3-faults", rate: 150, pad: 100, config: { "message.timeout.ms": 60_000 } });
    env.defer(() => producer.kill());
    env.printOnFailure("acked producer", () => producer.describe());
    await producer.waitForAcks(20, 90_000);

    // a group reads the produced topic as it grows (one synchronous commit per message)
    const reader = new CommittingConsumer("reading-consumer", { bootstrap: env.bootstrap, topic, group: "s3-faults-reader" });
    env.printOnFailure("reading consumer", () => reader.describe());
    await reader.waitForCommits(10, 60_000);

    // kcat reads a topic of big segments from S3 again and again
    const cold = new ColdReader(env.bootstrap, "s3-faults-cold");
    await cold.fill(COLD_MESSAGES, 1000);
    env.defer(() => cold.stop());
    env.printOnFailure("cold reader", () => cold.describe());
    await producer.waitForAcks(600, 90_000);
    expect(producer.requestErrors, "failed produce requests while S3 is healthy").toBe(0);
    cold.start();

    const phases = await runFaultPhases(
      proxy,
      s3FaultSchedule(),
      () => ({ acks: producer.acked, "failed requests": producer.requestErrors, "delivery failures": producer.failed, "consumer commits": reader.commits }),
      testSeed(7),
    );
    const passesDuringFaults = cold.passes.length;
    const counts = proxy.counts();
    for (const kind of ["slowDown", "delay", "dropBeforeForward", "dropAfterForward"] as const) {
      expect(counts[kind], `${kind} faults injected (${JSON.stringify(counts)})`).toBeGreaterThan(0);
    }
    expect(counts.internalError, `reads (GET) failed during the faults: the consumer's fetches went to S3 (${JSON.stringify(counts)})`).toBeGreaterThan(0);
    expect(env.broker.running && env.broker.pid === pid, `the broker process ${pid} still runs`).toBe(true);

    // healthy again: everything goes on, with the same process
    const ackedAtHeal = producer.acked;
    await producer.waitForAcks(ackedAtHeal + 300, 120_000);
    await reader.waitForCommits(reader.commits + 30, 60_000);
    await reader.stop();
    await cold.stop();
    const coldPass = await cold.pass(60_000);
    expect(coldPass, "a pass over the cold topic after the faults").toMatchObject({ complete: true, records: COLD_MESSAGES });
    const done = await producer.stop();
    expect(env.broker.running && env.broker.pid === pid && env.broker.runs === 1, "the broker was never restarted").toBe(true);

    // the producer saw the broker's retriable errors (and retried them); nothing failed silently
    const codes = producer.requestErrorsByCode();
    const unexpected = [...codes.keys()].filter((c) => !RETRIABLE_BROKER_ERRORS.has(c) && !LOCAL_RETRIABLE_ERRORS.has(c));
    expect(unexpected, `failed produce requests whose error is not retriable: ${JSON.stringify([...codes])}`).toEqual([]);
    const brokerCodes = [...codes.keys()].filter((c) => RETRIABLE_BROKER_ERRORS.has(c));
    expect(brokerCodes.length, `retriable Kafka errors answered by the broker: ${JSON.stringify([...codes])}`).toBeGreaterThan(0);
    const unexpectedFailures = [...producer.failuresByCode().keys()].filter((c) => !RETRIABLE_BROKER_ERRORS.has(c) && !LOCAL_RETRIABLE_ERRORS.has(c));
    expect(unexpectedFailures, "delivery failures that are not retriable").toEqual([]);

    const offsets = await offsetsOf(env.bootstrap, topic, "s3-faults-reader");
    const readStarted = Date.now();
    const log = await readAll(env.bootstrap, topic, [...offsets.high.keys()]);
    const readMs = Date.now() - readStarted;
    const report = producer.checker.check(log, producer.checkOptions());
    expect(problemsOf(report)).toEqual([]);
    expect(report.readBack, "records read back = the partitions' high watermarks").toBe(recordsIn(offsets));
    expect(report.acknowledged + report.failed, "every message acknowledged or reported failed").toBe(done.sent);
    expect(readsNotInLog(reader.consumed(), log), "what the group read during the faults").toEqual([]);
    const coldLog = await readAll(env.bootstrap, cold.topic);
    expect(coldLog).toHaveLength(COLD_MESSAGES);
    expect(readsNotInLog(cold.seen, coldLog), "what the cold passes read during the faults").toEqual([]);
    expect(passesDuringFaults, "cold passes during the faults").toBeGreaterThan(0);
    expect(commitMismatches(offsets.committed, [reader]), "committed offsets").toEqual([]);
    const stored = await expectBackendUsed(env.backend, topic);

    console.info(
      `s3 faults: proxy ${JSON.stringify(counts)}\n  ${describePhases(phases)}\n  producer: ${summaryOf(report)}; ` +
        `failed requests ${JSON.stringify([...codes])}; delivery failures ${JSON.stringify([...producer.failuresByCode()])}\n  ` +
        `cold reader: ${cold.describe()}\n  ` +
        `reader: ${reader.commits} commits, ${reader.failedCommits} failed commits, errors ${JSON.stringify([...reader.errors()])}; read back in ${readMs} ms; stored in ${stored}; ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }, 240_000);
});
