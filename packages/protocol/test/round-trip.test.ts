import { describe, expect, it } from "vitest";
import { APIS, RequestHeader, ResponseHeader, type MessageCodec } from "../src/index.js";
import * as generated from "../src/gen/index.js";
import { loadModels } from "./support/spec-models.js";
import { interpretEncode } from "./support/spec-interpreter.js";
import { RandomMessages, createRandom } from "./support/random-message.js";

const models = loadModels();
const SAMPLES_PER_VERSION = 12;
const codecs = generated as unknown as Record<string, MessageCodec<unknown> | undefined>;

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

describe("every message of the spec folder, at every version", () => {
  it("has a generated codec with the spec's version range", () => {
    for (const m of models) {
      const codec = codecs[m.typeName];
      expect(codec, m.typeName).toBeDefined();
      expect([codec!.minVersion, codec!.maxVersion], m.typeName).toEqual([m.valid.min, m.valid.max]);
    }
    expect(Object.keys(APIS).length).toBe(models.filter((m) => m.spec.type === "request").length);
  });

  for (const model of models) {
    it(`${model.typeName} v${model.valid.min}-${model.valid.max}: random messages round-trip and match the spec interpreter`, () => {
      const codec = codecs[model.typeName]!;
      for (let v = model.valid.min; v <= model.valid.max; v++) {
        for (let i = 0; i < SAMPLES_PER_VERSION; i++) {
          const seed = model.typeName.length * 7919 + v * 104729 + i;
          const message = new RandomMessages(createRandom(seed)).message(model, v);
          const where = `${model.typeName} v${v} seed ${seed}`;
          const bytes = codec.encode(message, v);
          expect(hex(bytes), `${where}: generated encoder vs spec interpreter`).toBe(hex(interpretEncode(model, message, v)));
          const decoded = codec.decode(bytes, v);
          expect(decoded, `${where}: decode(encode(m))`).toEqual(message);
          expect(hex(codec.encode(decoded, v)), `${where}: encode(decode(b))`).toBe(hex(bytes));
          expect(Buffer.concat(codec.encodeChunks(message, v)).equals(Buffer.from(bytes)), `${where}: chunks`).toBe(true);
        }
      }
    });
  }
});

describe("headers", () => {
  it("writes ClientId with an INT16 length even in flexible request header v2", () => {
    const bytes = RequestHeader.encode({ requestApiKey: 18, requestApiVersion: 3, correlationId: 1, clientId: "ab" }, 2);
    expect(hex(bytes)).toBe("0012" + "0003" + "00000001" + "0002" + "6162" + "00");
  });

  it("writes a null ClientId as length -1", () => {
    expect(hex(RequestHeader.encode({ requestApiKey: 3, requestApiVersion: 1, correlationId: 7, clientId: null }, 1))).toBe("0003000100000007ffff");
  });

  it("response header v1 carries tagged fields, v0 does not", () => {
    expect(hex(ResponseHeader.encode({ correlationId: 5 }, 0))).toBe("00000005");
    expect(hex(ResponseHeader.encode({ correlationId: 5 }, 1))).toBe("0000000500");
  });
});
