import { describe, expect, it } from "vitest";
import { FrameSplitter } from "./frame-splitter.js";
import { ProtocolError } from "./codec/index.js";

function frame(body: number[]): number[] {
  const n = body.length;
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...body];
}

describe("FrameSplitter.push()", () => {
  const stream = [...frame([1, 2, 3]), ...frame([]), ...frame([4, 5, 6, 7, 8, 9, 10]), ...frame([11])];
  const expected = [[1, 2, 3], [], [4, 5, 6, 7, 8, 9, 10], [11]];

  it("returns every frame of one chunk as views of that chunk", () => {
    const chunk = Uint8Array.from(stream);
    const frames = new FrameSplitter().push(chunk);
    expect(frames.map((f) => [...f])).toEqual(expected);
    for (const f of frames) expect(f.buffer).toBe(chunk.buffer);
  });

  it("reassembles frames cut at every possible pair of places", () => {
    for (let a = 0; a <= stream.length; a++) {
      for (let b = a; b <= stream.length; b++) {
        const s = new FrameSplitter();
        const parts = [stream.slice(0, a), stream.slice(a, b), stream.slice(b)];
        const frames = parts.flatMap((p) => s.push(Uint8Array.from(p)));
        expect(frames.map((f) => [...f]), `cut at ${a},${b}`).toEqual(expected);
        expect(s.bufferedBytes).toBe(0);
      }
    }
  });

  it("reassembles a stream fed one byte at a time", () => {
    const s = new FrameSplitter();
    const frames = stream.flatMap((byte) => s.push(Uint8Array.of(byte)));
    expect(frames.map((f) => [...f])).toEqual(expected);
  });

  it("reports bytes held for an incomplete frame", () => {
    const s = new FrameSplitter();
    expect(s.push(Uint8Array.from(frame([1, 2, 3, 4]).slice(0, 6)))).toEqual([]);
    expect(s.bufferedBytes).toBe(2);
    expect(s.pendingFrameBytes).toBe(4);
  });

  it("refuses a negative size with INVALID_FRAME", () => {
    expect(() => new FrameSplitter().push(Uint8Array.of(0xff, 0xff, 0xff, 0xfe, 0))).toThrow(
      expect.objectContaining({ code: "INVALID_FRAME" }),
    );
  });

  it("refuses a size above the maximum before allocating it", () => {
    const s = new FrameSplitter({ maxFrameBytes: 1024 });
    const err = (() => {
      try {
        s.push(Uint8Array.of(0x7f, 0xff, 0xff, 0xff));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe("FRAME_TOO_LARGE");
    expect((err as ProtocolError).message).toBe("frame of 2147483647 bytes is larger than the maximum of 1024");
  });

  it("accepts a frame of exactly the maximum", () => {
    const s = new FrameSplitter({ maxFrameBytes: 3 });
    expect(s.push(Uint8Array.from(frame([7, 8, 9]))).map((f) => [...f])).toEqual([[7, 8, 9]]);
  });
});
