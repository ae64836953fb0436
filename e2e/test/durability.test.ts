import { mkdir, rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { problemsOf, summaryOf } from "../src/ack-checker.js";
import { durabilityBackends, expectBackendUsed, startBackend, useBackendBroker } from "../src/backends.js";
import { sleep } from "../src/broker-process.js";
import { CommittingConsumer, commitMismatches, offsetsOf, readAll, recordsIn } from "../src/durability-consumer.js";
import { AckedProducer } from "../src/durability-producer.js";
import { seededRandom, testSeed } from "../src/durability-seed.js";
import { CONFLUENT_KAFKA_MODULES, requireKcat, requirePythonModules } from "../src/preflight.js";

/** SIGKILLs while producing and committing (plus one more once the consumer has stopped). */
const KILLS_WHILE_PRODUCING = 3;
/** Messages per second of the producer. */
const RATE = 250;

/**
 * The broker is killed with SIGKILL at seeded moments (E2E_SEED replays a schedule) while
 * librdkafka produces with acks=all and a consumer group commits each offset synchronously,
 * and each time restarted on the same port (on S3 + etcd: with an empty data directory, since
 * nothing may live there). Proves: every acknowledged message is read back at the offset its
 * acknowledgement named, each partition's offsets run from 0 without a hole or a repeat and grow
 * in the order the acknowledgements came (and in send order, but where the client retried after
 * an error answer), nothing the producer never sent is in the log, nothing is delivered as
 * failed (the client's retries cover a crash), and after the last crash the group's committed
 * offsets are exactly its last acknowledged commits.
 */
describe.each(durabilityBackends())("durability on %s", (backendName) => {
  const env = useBackendBroker(() => startBackend(backendName), { env: { KAFSCALE_DEFAULT_PARTITIONS: "4" } });

  it(`keeps every acknowledged message and commit across ${KILLS_WHILE_PRODUCING + 1} SIGKILLs`, async () => {
    requirePythonModules(CONFLUENT_KAFKA_MODULES);
    requireKcat();
    const started = Date.now();
    const seed = testSeed(0x6b61_6673);
    const random = seededRandom(seed);
    const slug = backendName.replace(/[^a-z]+/g, "-");
    const topic = `durability-${slug}`;
    const group = `durability-${slug}-group`;
    const producer = new AckedProducer("acked-producer", {
      bootstrap: env.bootstrap,
      topic,
      run: `${slug}-${seed}`,
      rate: RATE,
      keys: 16,
      pad: 40,
      // a crash must be covered by retries, not by giving up
      config: { "message.timeout.ms": 180_000 },
    });
    env.defer(() => producer.kill());
    env.printOnFailure("acked producer", () => producer.describe());
    await producer.waitForAcks(100, 90_000);
    const consumer = new CommittingConsumer("committing-consumer", { bootstrap: env.bootstrap, topic, group });
    env.printOnFailure("committing consumer", () => consumer.describe());
    await consumer.waitForCommits(20, 90_000);

    const crash = async () => {
      await env.broker.kill();
      if (random() < 0.5) await sleep(Math.floor(random() * 1500)); // down for a while
      if (env.backend.stateless) {
        await rm(env.broker.dataDir, { recursive: true, force: true });
        await mkdir(env.broker.dataDir, { recursive: true });
      }
      await env.broker.start();
    };
    const schedule: string[] = [];
    let kills = 0;
    for (let k = 0; k < KILLS_WHILE_PRODUCING; k++) {
      // a seeded moment: after 150 to 750 more acknowledgements (counts, not wall time)
      const more = 150 + Math.floor(random() * 600);
      const commitsAtRestart = consumer.commits;
      await producer.waitForAcks(producer.acked + more, 120_000);
      await consumer.waitForCommits(commitsAtRestart + 10, 120_000); // the group commits again: the crash hits live commits
      schedule.push(`kill ${++kills} after ${producer.acked} acks, ${consumer.commits} commits`);
      await crash();
    }
    await producer.waitForAcks(producer.acked + 200, 120_000);
    await consumer.waitForCommits(consumer.commits + 50, 120_000);
    await consumer.stop();
    const lastCommits = consumer.lastCommits();

    // one more crash with the commits at rest and the producer still going
    schedule.push(`kill ${++kills} after ${producer.acked} acks, consumer stopped`);
    await crash();
    await producer.waitForAcks(producer.acked + 100, 120_000);
    const done = await producer.stop();

    const offsets = await offsetsOf(env.bootstrap, topic, group);
    expect(commitMismatches(offsets.committed, [consumer]), "committed offsets after the last crash").toEqual([]);
    expect(lastCommits.size, "partitions the group committed").toBeGreaterThan(0);

    const log = await readAll(env.bootstrap, topic, [...offsets.high.keys()]);
    const report = producer.checker.check(log, producer.checkOptions());
    expect(problemsOf(report)).toEqual([]);
    expect(report.readBack, "records read back = the partitions' high watermarks").toBe(recordsIn(offsets));
    expect(done.failed, `delivery failures: ${JSON.stringify([...producer.failuresByCode()])}`).toBe(0);
    expect(report.acknowledged).toBe(done.sent);
    const stored = await expectBackendUsed(env.backend, topic);

    console.info(
      `durability on ${backendName} (seed ${seed}): ${kills} SIGKILLs; ${summaryOf(report)}; ` +
        `${consumer.commits} acknowledged commits, ${consumer.failedCommits} failed commits, ` +
        `${producer.clientErrors.length} client errors; stored in ${stored}; ${Math.round((Date.now() - started) / 1000)} s\n  ${schedule.join("\n  ")}`,
    );
  }, 300_000);
});
