import { describe, expect, it } from "vitest";
import { problemsOf, summaryOf } from "../src/ack-checker.js";
import { expectBackendUsed, startBackend, useBackendBroker } from "../src/backends.js";
import { sleep } from "../src/broker-process.js";
import { CommittingConsumer, commitMismatches, offsetsOf, readAll, recordsIn } from "../src/durability-consumer.js";
import { AckedProducer, countsSince, LOCAL_RETRIABLE_ERRORS, RETRIABLE_BROKER_ERRORS } from "../src/durability-producer.js";
import { CONFLUENT_KAFKA_MODULES, requireKcat, requirePythonModules } from "../src/preflight.js";

/** How long etcd stays down at least (the producer must also have seen 3 failed requests). */
const OUTAGE_MS = 6_000;
/** In-flight requests whose etcd commit was answered before the outage may still be acknowledged this long after it began. */
const GRACE_MS = 2_000;

/**
 * etcd goes away under a producing, committing broker (segments in its data directory, metadata
 * in etcd): first frozen (SIGSTOP: requests hang until the broker's etcd timeout), then killed
 * (connections refused), each time for a few seconds. Proves: while etcd is down the broker
 * acknowledges nothing, neither produce nor offset commits (after a short grace for requests
 * already committed), answers produce with retriable Kafka errors (librdkafka's log of its
 * failed produce requests), and keeps running (same process); after etcd is back, producing,
 * consuming and committing work again without a broker restart, a new group member starts
 * exactly at the committed offsets, and the checker finds every acknowledged message in place
 * with no duplicate offset and no gap.
 */
describe("etcd down", () => {
  const env = useBackendBroker(() => startBackend("etcd+embedded-segments"), {
    env: { KAFSCALE_ETCD_REQUEST_TIMEOUT_MS: "1500", KAFSCALE_DEFAULT_PARTITIONS: "4" },
  });

  it("acknowledges nothing while etcd is down, answers retriable errors, and recovers without a restart", async () => {
    requirePythonModules(CONFLUENT_KAFKA_MODULES);
    requireKcat();
    const started = Date.now();
    const etcd = env.backend.etcd!;
    const topic = "etcd-down";
    const group = "etcd-down-group";
    const pid = env.broker.pid;

    // librdkafka retries every failed produce request (nothing may fail); its debug log tells the broker's answers
    const producer = new AckedProducer("acked-producer", { bootstrap: env.bootstrap, topic, run: "etcd-down", rate: 200, pad: 40, config: { "message.timeout.ms": 120_000 } });
    env.defer(() => producer.kill());
    env.printOnFailure("acked producer", () => producer.describe());
    await producer.waitForAcks(200, 60_000);
    expect(producer.requestErrors, "failed produce requests while etcd is healthy").toBe(0);

    const members: CommittingConsumer[] = [];
    const startMember = async () => {
      const m = new CommittingConsumer(`committing-consumer-${members.length + 1}`, { bootstrap: env.bootstrap, topic, group });
      members.push(m);
      env.printOnFailure(m.name, () => m.describe());
      await m.waitForCommits(30, 60_000);
      return m;
    };
    let member = await startMember();

    const lines: string[] = [];
    for (const mode of ["freeze", "kill"] as const) {
      const codesBefore = producer.requestErrorsByCode();
      const errorsBefore = producer.requestErrors;
      const commitsBefore = member.commits;
      await etcd.pause(mode);
      const pausedAt = Date.now();
      await sleep(GRACE_MS);
      const ackedAfterGrace = producer.acked;
      const commitsAfterGrace = member.commits;
      await producer.waitFor(`3 failed produce requests with etcd ${mode}`, () => producer.requestErrors >= errorsBefore + 3, 60_000);
      await sleep(Math.max(0, pausedAt + OUTAGE_MS - Date.now()));
      const ackedAtResume = producer.acked;
      const commitsDuring = member.commits - commitsBefore;
      const commitsAfterGraceDuring = member.commits - commitsAfterGrace;
      expect(env.broker.running && env.broker.pid === pid, `the broker process ${pid} still runs (etcd ${mode})`).toBe(true);
      await etcd.resume();
      const outageMs = Date.now() - pausedAt;

      expect(ackedAtResume - ackedAfterGrace, `acknowledgements while etcd was down (${mode})`).toBe(0);
      expect(commitsAfterGraceDuring, `offset commits acknowledged while etcd was down (${mode})`).toBe(0);
      const codes = countsSince(codesBefore, producer.requestErrorsByCode());
      const unexpected = [...codes.keys()].filter((c) => !RETRIABLE_BROKER_ERRORS.has(c) && !LOCAL_RETRIABLE_ERRORS.has(c));
      expect(unexpected, `failed produce requests whose error is not retriable: ${JSON.stringify([...codes])}`).toEqual([]);
      const brokerCodes = [...codes.keys()].filter((c) => RETRIABLE_BROKER_ERRORS.has(c));
      expect(brokerCodes.length, `retriable Kafka errors answered by the broker with etcd ${mode}: ${JSON.stringify([...codes])}`).toBeGreaterThan(0);

      // back to work, same process: produce, commit, and a new member resumes at the committed offsets
      await producer.waitForAcks(ackedAtResume + 200, 90_000);
      await member.waitForCommits(member.commits + 30, 90_000);
      await member.stop();
      const committed = (await offsetsOf(env.bootstrap, topic, group)).committed;
      expect(commitMismatches(committed, members), `committed offsets after etcd ${mode}`).toEqual([]);
      member = await startMember();
      for (const [p, first] of member.firstOffsets()) {
        const c = committed.get(p) ?? -1001;
        expect(first, `${member.name} starts partition ${p} at the committed offset`).toBe(c >= 0 ? c : 0);
      }
      lines.push(
        `etcd ${mode} for ${outageMs} ms: ${ackedAtResume - ackedAfterGrace} acks after the ${GRACE_MS} ms grace, ` +
          `failed produce requests ${JSON.stringify([...codes])}, commits acknowledged during the outage ${commitsDuring} (${commitsAfterGraceDuring} after the grace)`,
      );
    }
    expect(env.broker.pid, "the broker was never restarted").toBe(pid);
    expect(env.broker.runs).toBe(1);

    await member.waitForCommits(member.commits + 30, 90_000);
    await member.stop();
    const done = await producer.stop();
    const offsets = await offsetsOf(env.bootstrap, topic, group);
    expect(commitMismatches(offsets.committed, members), "committed offsets at the end").toEqual([]);

    const report = producer.checker.check(await readAll(env.bootstrap, topic, [...offsets.high.keys()]), producer.checkOptions());
    expect(problemsOf(report)).toEqual([]);
    expect(report.readBack, "records read back = the partitions' high watermarks").toBe(recordsIn(offsets));
    expect(done.failed, `delivery failures of the retrying producer: ${JSON.stringify([...producer.failuresByCode()])}`).toBe(0);
    const stored = await expectBackendUsed(env.backend, topic);
    console.info(
      `etcd down: ${lines.join("; ")}\n  producer: ${summaryOf(report)}\n  ` +
        `${members.length} group members, ${members.reduce((n, m) => n + m.commits, 0)} acknowledged commits, ` +
        `${members.reduce((n, m) => n + m.failedCommits, 0)} failed commits; metadata in ${stored}; ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }, 240_000);
});
