import { createHash, randomBytes } from "node:crypto";
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { PutBody } from "./s3-put-body.js";

const sizes = [5, 0, 1023, 1024, 3, 3, 70_000, 1, 2, 900, 900, 16_384, 0, 64 * 1024, 10];
const chunksOf = (lengths: number[]): Uint8Array[] => lengths.map((n, i) => (i % 2 === 0 ? new Uint8Array(randomBytes(n)) : randomBytes(n)));

/** Everything written to a Writable, and how it was written. */
function sink(): Writable & { writes: Buffer[]; ended: Promise<Buffer> } {
  const writes: Buffer[] = [];
  let done!: (b: Buffer) => void;
  const ended = new Promise<Buffer>((resolve) => (done = resolve));
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      writes.push(chunk);
      cb();
    },
    final(cb) {
      done(Buffer.concat(writes));
      cb();
    },
  });
  return Object.assign(w, { writes, ended });
}

describe("PutBody", () => {
  it("keeps the chunks as given and their total length; one buffer is one chunk", () => {
    const chunks = chunksOf(sizes);
    const body = new PutBody(chunks);
    expect(body.length).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(body.chunks).toBe(chunks);
    const one = randomBytes(10);
    expect(new PutBody(one).chunks).toEqual([one]);
    expect(new PutBody([]).length).toBe(0);
  });

  it("digests and compares chunk by chunk as if concatenated", () => {
    const chunks = chunksOf(sizes);
    const whole = Buffer.concat(chunks);
    const body = new PutBody(chunks);
    expect(body.digest("md5")).toBe(createHash("md5").update(whole).digest("hex"));
    expect(body.digest("sha256")).toBe(createHash("sha256").update(whole).digest("hex"));
    expect(body.equals(whole)).toBe(true);
    const other = Buffer.from(whole);
    other[whole.length - 1]! ^= 1;
    expect(body.equals(other)).toBe(false);
    expect(body.equals(whole.subarray(1))).toBe(false);
  });

  it("yields chunks of 1 KiB or more as views and merges runs of smaller ones up to 64 KiB", () => {
    const chunks = chunksOf(sizes);
    const pieces = [...new PutBody(chunks).pieces()];
    expect(Buffer.concat(pieces).equals(Buffer.concat(chunks))).toBe(true);
    expect(pieces.map((p) => p.length)).toEqual([5 + 1023, 1024, 3 + 3, 70_000, 1 + 2 + 900 + 900, 16_384, 64 * 1024, 10]);
    // Views share memory with the caller's chunks.
    expect(pieces[1]!.buffer).toBe(chunks[3]!.buffer);
    const tiny = chunksOf(Array.from({ length: 1000 }, () => 100));
    expect([...new PutBody(tiny).pieces()].map((p) => p.length)).toEqual([65_500, 34_500]);
  });

  it("pipes the whole body and ends the destination; every stream starts from the first byte", async () => {
    const chunks = chunksOf(sizes);
    const body = new PutBody(chunks);
    for (let i = 0; i < 2; i++) {
      const s = sink();
      const stream = body.stream();
      const ended = new Promise((resolve) => stream.once("end", resolve));
      stream.pipe(s);
      expect((await s.ended).equals(Buffer.concat(chunks))).toBe(true);
      expect(s.writes).toHaveLength(8);
      await ended;
    }
  });

  it("reads as an ordinary stream too (async iteration, a PassThrough, an empty body)", async () => {
    const chunks = chunksOf(sizes);
    const body = new PutBody(chunks);
    const read: Buffer[] = [];
    for await (const c of body.stream()) read.push(c as Buffer);
    expect(Buffer.concat(read).equals(Buffer.concat(chunks))).toBe(true);
    const through = new PassThrough();
    body.stream().pipe(through);
    const piped: Buffer[] = [];
    for await (const c of through) piped.push(c as Buffer);
    expect(Buffer.concat(piped).equals(Buffer.concat(chunks))).toBe(true);
    const empty = sink();
    new PutBody([new Uint8Array(0)]).stream().pipe(empty);
    expect((await empty.ended).length).toBe(0);
  });

  it("stops writing into a destination that was destroyed", () => {
    const s = sink();
    s.destroy();
    new PutBody(chunksOf(sizes)).stream().pipe(s);
    expect(s.writes).toEqual([]);
  });
});
