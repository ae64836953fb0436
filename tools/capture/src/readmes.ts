/** README.md of each fixture folder, generated from what a capture run did. */
import type { ClientSpec, MockCluster, SessionResult } from "../capture.js";
import type { FixtureEntry } from "./fixtures.js";
import type { ApiSpec } from "./kafka-spec.js";

/** Hand-written remarks per folder, kept here so that re-capturing keeps them. */
const NOTES: Record<string, readonly string[]> = {
  kcat: [
    "Every produce step sends three records (two keyed, one without key) with headers `source` and `codec`, once per codec " +
      "(`-z none|gzip|snappy|lz4|zstd`), then once idempotent (`enable.idempotence=true`) and once transactional (`transactional.id`).",
    "The group steps lower `session.timeout.ms` to 6000: the mock keeps a member that left until its session times out, " +
      "which would stall the next join for 45 s.",
    "Against the 2.12.0 mock librdkafka 2.0.2 uses Metadata v4 (the 2.0.2 mock stops at v2) but still Fetch v11 and Produce v7.",
  ],
  "kafka-python": [
    "Codecs come from Debian's python3-snappy, python3-lz4 and python3-zstandard; without them kafka-python refuses those codecs.",
    "`admin-list-group-offsets` sends OffsetFetch v3 with Topics = null (all topics); both mocks answer Topics = null, which " +
      "is off-spec (see ../librdkafka-mock/README.md), and kafka-python then fails with a TypeError.",
  ],
  "confluent-kafka": [
    "Uses the same librdkafka 2.0.2 as kcat, so most frames match kcat's but for the client id and the software name/version in ApiVersions v3.",
    "Adds transactions with `send_offsets_to_transaction` (AddOffsetsToTxn, TxnOffsetCommit), and the admin APIs librdkafka 2.0.2 has.",
  ],
  kafkajs: [
    "kafkajs speaks non-flexible versions only (ApiVersions v2, Metadata v6, Produce v7, Fetch v11 ...).",
    "Only `none` and `gzip`: snappy, lz4 and zstd need codec packages that are not part of kafkajs.",
  ],
  "platformatic-kafka": [
    "@platformatic/kafka speaks flexible versions only for most APIs (ApiVersions v3+, Metadata v9+, Fetch v12+, FindCoordinator v4+, OffsetFetch v8+). " +
      "Against the 2.0.2 mock (Metadata up to v2) it stops after ApiVersions; against the 2.12.0 mock it produces, lists offsets " +
      "and fetches, but its Consumer needs FindCoordinator v4+, which neither mock has.",
    "The `raw-*` steps call the library's own per-version request builders (`joinGroupV6`, `syncGroupV4`, `heartbeatV4`, " +
      "`offsetCommitV9`, `offsetFetchV9`, `leaveGroupV4`, `findCoordinatorV6`) on a `Connection`, to capture those requests; " +
      "the 2.12.0 mock closes the connection on JoinGroup v6 and SyncGroup v4 (it reads their flexible arrays with INT32 counts) and " +
      "answers the others with errors, since there is no member.",
    "zstd is not used: the library needs Node 22's zlib for it.",
  ],
  "librdkafka-mock": [
    "This mock speaks non-flexible versions only, but for InitProducerId v2-v4 (ApiVersions ≤ v2, Metadata ≤ v2, Produce ≤ v7, " +
      "Fetch ≤ v11, ...), and closes the connection on any API or version it lacks instead of answering with an error.",
    "**Off-spec**: the UNSUPPORTED_VERSION answer to ApiVersions v3 (file `api-versions-response-v0-*` whose error code is 35) is " +
      "neither v0 nor v3: error code, a one-byte count 0x01, one 6-byte entry (18, 0, 2), throttle time. Kafka would send v0 " +
      "(INT32 count and all entries). The proxy shows the client a well-formed v3 answer instead (see tools/capture/src/rewrite.ts).",
    "**Off-spec**: OffsetFetch v3 responses to a request with Topics = null carry Topics = null (INT32 -1); Topics is not nullable.",
    "Metadata responses report controller id 0 though the only broker is 1; the proxy shows clients broker 1 so that they send controller requests.",
  ],
  "librdkafka-mock-2.12": [
    "This mock speaks flexible versions (Metadata ≤ v12, Produce ≤ v10, Fetch ≤ v16, OffsetCommit ≤ v9, Heartbeat ≤ v5, LeaveGroup ≤ v4, ...) " +
      "but still only ApiVersions ≤ v2, and closes the connection on any API or version it lacks.",
    "**Off-spec**: the same half-v0/half-v3 UNSUPPORTED_VERSION answer to ApiVersions v3 as the 2.0.2 mock.",
    "**Off-spec**: OffsetFetch v3 responses to a request with Topics = null carry Topics = null.",
    "**Off-spec**: LeaveGroup v3 and v4 responses lack the Members array that v3 added (the handler writes the v0-v2 body: " +
      "ThrottleTimeMs, ErrorCode, plus the tagged-field byte in v4, which a decoder then takes for a null Members array). " +
      "The handler also reads v3+ requests as v0-v2 (GroupId, MemberId).",
    "**Off-spec**: every flexible Metadata response (v12 here) ends with one extra 0x00 byte: the handler writes the body's empty " +
      "tagged-field section and the mock's send path (`rd_kafka_mock_connection_send_response`) appends a second one.",
    "Its JoinGroup v6 and SyncGroup v4 handlers read the flexible protocols/assignments arrays with an INT32 count, so they cannot parse " +
      "@platformatic/kafka's (valid) requests and close the connection.",
  ],
};

interface ClientContext {
  readonly client: ClientSpec;
  readonly version: string;
  readonly capturedAt: string;
  readonly mocks: readonly MockCluster[];
  readonly sessions: readonly SessionResult[];
  readonly entries: readonly FixtureEntry[];
  readonly apis: Map<number, ApiSpec>;
}

interface MockContext {
  readonly mock: MockCluster;
  readonly capturedAt: string;
  readonly sessions: readonly SessionResult[];
  readonly entries: readonly FixtureEntry[];
  readonly apis: Map<number, ApiSpec>;
  readonly versions: Map<string, string>;
}

function apiLabel(apis: Map<number, ApiSpec>, apiKey: number): string {
  return apis.get(apiKey)?.name ?? `ApiKey ${apiKey}`;
}

function versionList(versions: Iterable<number>): string {
  return [...new Set(versions)].sort((a, b) => a - b).map((v) => `v${v}`).join(", ");
}

/** | API | key | versions | files | rows for the entries of one folder. */
function apiTable(entries: readonly FixtureEntry[], apis: Map<number, ApiSpec>, extra?: (group: FixtureEntry[]) => string): string[] {
  const byApi = new Map<number, FixtureEntry[]>();
  for (const e of entries) {
    let g = byApi.get(e.apiKey);
    if (!g) byApi.set(e.apiKey, (g = []));
    g.push(e);
  }
  const header = extra ? "| API | key | versions | files | answering |" : "| API | key | versions | files |";
  const rule = extra ? "|---|---:|---|---:|---|" : "|---|---:|---|---:|";
  const rows = [...byApi]
    .sort(([a], [b]) => a - b)
    .map(([apiKey, group]) => {
      const cells = [apiLabel(apis, apiKey), String(apiKey), versionList(group.map((e) => e.version)), String(group.length)];
      if (extra) cells.push(extra(group));
      return `| ${cells.join(" | ")} |`;
    });
  return [header, rule, ...rows];
}

function unanswered(session: SessionResult, apis: Map<number, ApiSpec>): string {
  const counts = new Map<string, number>();
  for (const e of session.exchanges) {
    if (e.outcome !== "closed-by-mock") continue;
    const key = `${apiLabel(apis, e.apiKey)} v${e.apiVersion}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} (×${n})`).join(", ") || "none";
}

export function renderClientReadme(ctx: ClientContext): string {
  const { client, apis } = ctx;
  const mine = ctx.entries.filter((e) => e.folder === client.name);
  const sessions = ctx.sessions.filter((s) => s.client === client.name);
  const stepNames = [...new Set(sessions.flatMap((s) => s.steps.map((st) => st.name)))];
  const lines = [
    `# Request frames from ${client.name}`,
    "",
    `Generated by \`tools/capture/capture.ts\` on ${ctx.capturedAt}; do not edit by hand (re-capture instead, see ../README.md).`,
    "",
    `- **Client**: ${ctx.version}.`,
    `- **Scenario**: [\`tools/capture/${client.script}\`](../../../../../tools/capture/${client.script}), default client settings except where the script says otherwise.`,
    "- **Against**: the capture proxy (`tools/capture/capture-proxy.ts`) in front of a fresh mock cluster per run, with topics " +
      "`capture` (1 partition), `capture-txn` (1) and `capture-multi` (3) created by the mock itself:",
    ...ctx.mocks.map((m) => `  - ${m.description}; its responses are in [../${m.folder}](../${m.folder}).`),
    "- **Proxy changes seen by the client only** (fixtures hold the original bytes; details in ../README.md): broker ports and the " +
      "controller id in Metadata/FindCoordinator responses, a well-formed answer to ApiVersions v3 (which the mocks reject), and " +
      "admin APIs the mock lacks added to ApiVersions answers, so that the client sends those requests (the mock then closes the connection).",
    `- **Files**: \`<api>-request-v<N>-<seq>.hex\`, one frame each (request header + body, no size prefix); ${mine.length} files. ` +
      "Identical frames (ignoring the correlation id) are kept once; at most 8 per API and version, spread over the clients.",
    "",
    "## Requests",
    "",
    ...apiTable(mine, apis),
    "",
    "## Scenario steps",
    "",
    `| step | ${ctx.mocks.map((m) => `mock ${m.version}`).join(" | ")} |`,
    `|---|${ctx.mocks.map(() => "---").join("|")}|`,
    ...stepNames.map((name) => {
      const cells = ctx.mocks.map((m) => {
        const step = sessions.find((s) => s.mock.version === m.version)?.steps.find((st) => st.name === name);
        if (!step) return "not run";
        return step.ok ? "ok" : `failed: ${step.detail.replace(/\|/g, "\\|").slice(0, 160)}`;
      });
      return `| ${name} | ${cells.join(" | ")} |`;
    }),
    "",
    "Requests the mock closed the connection on (API or version it does not implement):",
    "",
    ...sessions.map((s) => `- mock ${s.mock.version}: ${unanswered(s, apis)}`),
    "",
  ];
  const notes = NOTES[client.name];
  if (notes?.length) lines.push("## Notes", "", ...notes.map((n) => `- ${n}`), "");
  return lines.join("\n");
}

export function renderMockReadme(ctx: MockContext): string {
  const { mock, apis } = ctx;
  const mine = ctx.entries.filter((e) => e.folder === mock.folder);
  const lines = [
    `# Response frames from librdkafka ${mock.version}'s mock cluster`,
    "",
    `Generated by \`tools/capture/capture.ts\` on ${ctx.capturedAt}; do not edit by hand (re-capture instead, see ../README.md).`,
    "",
    `- **Implementation**: ${mock.description}. One broker (id 1), topics \`capture\`, \`capture-txn\`, \`capture-multi\`.`,
    "- **Requests**: sent by the clients of the sibling folders, each running its scenario through the capture proxy; " +
      "the `request` field of ../index.json names the request fixture a response answers (when that request was kept).",
    "- **Bytes**: exactly as the mock sent them. The proxy changed some responses on their way to the client (broker port, controller id, " +
      "ApiVersions; see ../README.md), never the stored frame.",
    `- **Files**: \`<api>-response-v<N>-<seq>.hex\`, one frame each (response header + body, no size prefix); ${mine.length} files. ` +
      "N is the version the body is encoded in: the request's version, except for UNSUPPORTED_VERSION answers to ApiVersions, " +
      "which Kafka encodes as v0 (KIP-511). Identical frames (ignoring the correlation id) are kept once; at most 8 per API and version, spread over the clients.",
    "",
    "## Responses",
    "",
    ...apiTable(mine, apis, (group) => [...new Set(group.map((e) => e.client))].sort().join(", ")),
    "",
  ];
  const notes = NOTES[mock.folder];
  if (notes?.length) lines.push("## Notes", "", ...notes.map((n) => `- ${n}`), "");
  return lines.join("\n");
}
