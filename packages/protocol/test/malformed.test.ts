import { describe, expect, it } from "vitest";
import { ApiKey, MetadataRequest, ProduceRequest, ProtocolError, Reader, decodeRequest, type MessageCodec } from "../src/index.js";
import * as generated from "../src/gen/index.js";
import { loadModels } from "./support/spec-models.js";
import { RandomMessages, createRandom } from "./support/random-message.js";

const models = loadModels();
const codecs = generated as unknown as Record<string, MessageCodec<unknown>>;

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("truncated input", () => {
  it("every strict prefix of every message at every version fails with a ProtocolError", () => {
    let checked = 0;
    for (const model of models) {
      const codec = codecs[model.typeName]!;
      for (let v = model.valid.min; v <= model.valid.max; v++) {
        const bytes = codec.encode(new RandomMessages(createRandom(v * 31 + model.typeName.length)).message(model, v), v);
        for (let n = 0; n < bytes.length; n++) {
          const err = errorOf(() => codec.decode(bytes.subarray(0, n), v));
          expect(err, `${model.typeName} v${v} cut to ${n} of ${bytes.length} bytes`).toBeInstanceOf(ProtocolError);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});

describe("random bytes", () => {
  it("never make a decoder throw anything but a ProtocolError", () => {
    const rand = createRandom(42);
    let decoded = 0;
    for (const model of models) {
      const codec = codecs[model.typeName]!;
      for (let v = model.valid.min; v <= model.valid.max; v++) {
        for (let i = 0; i < 20; i++) {
          const junk = Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));
          const err = errorOf(() => codec.decode(junk, v));
          if (err === undefined) decoded++;
          else expect(err, `${model.typeName} v${v} ${Buffer.from(junk).toString("hex")}`).toBeInstanceOf(ProtocolError);
        }
      }
    }
    expect(decoded).toBeGreaterThan(0);
  });
});

describe("hostile lengths", () => {
  const cases: { name: string; hex: string; version: number; codec: MessageCodec<unknown>; code: string; message: string }[] = [
    {
      name: "negative string length",
      hex: "00000001fffe",
      version: 1,
      codec: MetadataRequest as MessageCodec<unknown>,
      code: "INVALID_LENGTH",
      message: "string length -2 at offset 4",
    },
    {
      name: "array count larger than the bytes left",
      hex: "7fffffff0001",
      version: 1,
      codec: MetadataRequest as MessageCodec<unknown>,
      code: "INVALID_LENGTH",
      message: "array of 2147483647 bytes declared at offset 4, only 2 left",
    },
    {
      name: "negative array count other than -1",
      hex: "fffffff0",
      version: 1,
      codec: MetadataRequest as MessageCodec<unknown>,
      code: "INVALID_LENGTH",
      message: "array length -16 at offset 0",
    },
    {
      name: "null array where the version forbids it",
      hex: "ffffffff",
      version: 0,
      codec: MetadataRequest as MessageCodec<unknown>,
      code: "NULL_NOT_ALLOWED",
      message: "Topics is not nullable at this version",
    },
    {
      name: "string longer than the bytes left",
      hex: "000000010010616263",
      version: 1,
      codec: MetadataRequest as MessageCodec<unknown>,
      code: "INVALID_LENGTH",
      message: "string of 16 bytes declared at offset 6, only 3 left",
    },
    {
      name: "compact array count that does not fit",
      hex: "ffffffff0f",
      version: 9,
      codec: MetadataRequest as MessageCodec<unknown>,
      code: "INVALID_LENGTH",
      message: "array of 4294967294 bytes declared at offset 5, only 0 left",
    },
    {
      name: "varint longer than 32 bits",
      hex: "ffffffffff01",
      version: 9,
      codec: MetadataRequest as MessageCodec<unknown>,
      code: "INVALID_VARINT",
      message: "varint longer than 32 bits at offset 5",
    },
    {
      name: "records length larger than the bytes left",
      hex: "ffff" + "ffff" + "00000000" + "00000001" + "000174" + "00000001" + "00000000" + "7ffffff0" + "00",
      version: 3,
      codec: ProduceRequest as MessageCodec<unknown>,
      code: "INVALID_LENGTH",
      message: "byte field of 2147483632 bytes declared at offset 27, only 1 left",
    },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.code}`, () => {
      const err = errorOf(() => c.codec.decode(Buffer.from(c.hex, "hex"), c.version));
      expect(err).toBeInstanceOf(ProtocolError);
      expect(err).toMatchObject({ code: c.code, message: c.message });
    });
  }

  it("a tagged field whose size runs past the end is refused", () => {
    // Metadata v9: no topics (count 0+1), three flags, then one tagged field of size 100.
    const bytes = Buffer.from("01" + "00" + "00" + "00" + "01" + "05" + "64" + "00", "hex");
    expect(errorOf(() => MetadataRequest.decode(bytes, 9))).toMatchObject({ code: "INVALID_LENGTH" });
  });

  it("an unknown tagged field is kept and written back", () => {
    const bytes = new Uint8Array(Buffer.from("01" + "00" + "00" + "00" + "01" + "05" + "02" + "abcd", "hex"));
    const m = MetadataRequest.decode(bytes, 9);
    expect(m.unknownTaggedFields).toEqual([{ tag: 5, data: Uint8Array.of(0xab, 0xcd) }]);
    expect(MetadataRequest.encode(m, 9)).toEqual(bytes);
  });
});

describe("Reader", () => {
  it("reads signed varints and varlongs at their limits", () => {
    expect(new Reader(Uint8Array.of(0xfe, 0xff, 0xff, 0xff, 0x0f)).varint()).toBe(2147483647);
    expect(new Reader(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f)).varint()).toBe(-2147483648);
    expect(new Reader(Uint8Array.of(0x01)).varint()).toBe(-1);
    expect(new Reader(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).varlong()).toBe(-9223372036854775808n);
    expect(() => new Reader(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).varlong()).toThrow(
      expect.objectContaining({ code: "INVALID_VARINT" }),
    );
  });

  it("unknown API keys and versions get typed errors from the generic surface", () => {
    expect(errorOf(() => decodeRequest(9999, 0, new Uint8Array(4)))).toMatchObject({ code: "UNKNOWN_API_KEY" });
    expect(errorOf(() => decodeRequest(ApiKey.Metadata, 13, new Uint8Array(4)))).toMatchObject({ code: "UNSUPPORTED_VERSION" });
  });
});
