import { beforeAll, describe, expect, it } from "vitest";
import { kcatConsume, kcatProduce, parseKcatJson } from "../src/kcat.js";
import { CODECS, expectPerPartitionOrder, expectSameContent, keyedMessages } from "../src/messages.js";
import { requireKcat } from "../src/preflight.js";
import { run } from "../src/processes.js";
import { LIBRDKAFKA_CODEC_NOTE, storedCodecs } from "../src/segments.js";
import { sleep } from "../src/broker-process.js";
import { eventually, useBroker } from "../src/suite.js";

/** kcat 1.7.1 on librdkafka 2.0.2 (Debian): -P, -C, -G, -Q against the broker app. */
describe("kcat", () => {
  beforeAll(() => {
    requireKcat();
  });
  const env = useBroker();

  it.each(CODECS)("produces and consumes with compression %s", async (codec) => {
    const topic = `kcat-codec-${codec}`;
    const messages = keyedMessages(`kcat-${codec}`, 60, 6);
    await kcatProduce(env.bootstrap, topic, messages, { codec, headers: { client: "kcat", codec } });
    const consumed = await kcatConsume(env.bootstrap, topic);
    expectSameContent(consumed, messages);
    expectPerPartitionOrder(consumed);
    for (const m of consumed) expect(m.headers).toEqual({ client: "kcat", codec });
    expect(await storedCodecs(env.broker.dataDir, topic), LIBRDKAFKA_CODEC_NOTE).toEqual([codec]);
  });

  it("keeps per-partition order of keyed messages over a 4-partition topic", async () => {
    const topic = "kcat-keyed";
    const messages = keyedMessages("kcat-keyed", 1000, 12);
    await kcatProduce(env.bootstrap, topic, messages, { extra: ["-X", "linger.ms=5"] });
    const consumed = await kcatConsume(env.bootstrap, topic);
    expectSameContent(consumed, messages);
    expectPerPartitionOrder(consumed);
    expect(new Set(consumed.map((m) => m.partition)).size).toBeGreaterThan(1);
  });

  it("produces with acks=0 (the broker sends no response) and every message arrives", async () => {
    const topic = "kcat-acks0";
    const messages = keyedMessages("kcat-acks0", 200, 8);
    const input = messages.map((m) => `${m.key}\t${m.value}\n`).join("");
    const r = await run("kcat", ["-P", "-b", env.bootstrap, "-t", topic, "-K", "\t", "-X", "acks=0", "-X", "enable.idempotence=false", "-X", "debug=protocol"], { input });
    // a response to an acks=0 request would reach librdkafka as one it never asked for
    expect(r.stderr).not.toMatch(/unknown CorrId|Response for unknown/i);
    const consumed = await eventually(
      () => `acks=0 messages did not all arrive`,
      async () => {
        const c = await kcatConsume(env.bootstrap, topic);
        return c.length >= messages.length ? c : undefined;
      },
      15_000,
      300,
    );
    expectSameContent(consumed, messages);
    expectPerPartitionOrder(consumed);
  });

  it("starts at an offset looked up by time (-o s@<ms> and -Q)", async () => {
    const topic = "kcat-by-time";
    const before = keyedMessages("kcat-before", 40, 8);
    const after = keyedMessages("kcat-after", 40, 8);
    await kcatProduce(env.bootstrap, topic, before);
    await sleep(50);
    const boundary = Date.now();
    await sleep(50);
    await kcatProduce(env.bootstrap, topic, after);

    const all = await kcatConsume(env.bootstrap, topic);
    expectSameContent(all, [...before, ...after]);
    const firstAfter = new Map<number, number>();
    for (const m of all) {
      if (m.value.startsWith("kcat-after") && !firstAfter.has(m.partition)) firstAfter.set(m.partition, m.offset);
    }

    const fromTime = await kcatConsume(env.bootstrap, topic, `s@${boundary}`);
    expectSameContent(fromTime, after, firstAfter);

    const partitions = [0, 1, 2, 3];
    const query = await run("kcat", ["-Q", "-J", "-b", env.bootstrap, ...partitions.flatMap((p) => ["-t", `${topic}:${p}:${boundary}`])]);
    const answer = JSON.parse(query.stdout.trim()) as Record<string, Record<string, { partition: number; offset: number }>>;
    for (const p of partitions) {
      expect(answer[topic]?.[String(p)]?.offset, `partition ${p}`).toBe(firstAfter.get(p) ?? -1);
    }
  });

  it("balanced consumers (-G) commit, and the next one resumes where the group stopped", async () => {
    const topic = "kcat-group";
    const group = "kcat-group";
    const groupConsume = async () => {
      const r = await run(
        "kcat",
        ["-G", group, "-b", env.bootstrap, "-e", "-J", "-X", "auto.offset.reset=earliest", "-X", "enable.auto.commit=true", "-X", "auto.commit.interval.ms=100", topic],
        { timeoutMs: 60_000 },
      );
      return r.stdout;
    };
    const first = keyedMessages("kcat-group-1", 60, 6);
    const second = keyedMessages("kcat-group-2", 30, 6);
    await kcatProduce(env.bootstrap, topic, first);
    const round1 = parseKcatJson(await groupConsume());
    expectSameContent(round1, first);
    await kcatProduce(env.bootstrap, topic, second);
    const round2 = parseKcatJson(await groupConsume());
    const ends = new Map<number, number>();
    for (const m of round1) ends.set(m.partition, Math.max(ends.get(m.partition) ?? -1, m.offset));
    expectSameContent(round2, second, new Map([...ends].map(([p, o]) => [p, o + 1])));
  });
});
