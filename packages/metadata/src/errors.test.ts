import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isMetadataError, METADATA_ERROR_CODES, MetadataError, RevisionConflictError, TopicExistsError, TopicNotFoundError } from "./errors.js";

describe("MetadataError", () => {
  it("documents every code in the table of errors.ts, in order", () => {
    const source = readFileSync(new URL("./errors.ts", import.meta.url), "utf8");
    const documented = [...source.matchAll(/^ \* \| `([A-Z_]+)`/gm)].map((m) => m[1]);
    expect(documented).toEqual(METADATA_ERROR_CODES);
  });

  it("gives each subclass its code, name and fields", () => {
    const conflict = new RevisionConflictError("/k", 5);
    expect(conflict).toBeInstanceOf(MetadataError);
    expect([conflict.code, conflict.name, conflict.key, conflict.expectedRevision]).toEqual(["REVISION_CONFLICT", "RevisionConflictError", "/k", 5]);
    expect([new TopicExistsError("t").code, new TopicNotFoundError("t").code]).toEqual(["TOPIC_EXISTS", "TOPIC_NOT_FOUND"]);
    expect(isMetadataError(conflict, "REVISION_CONFLICT")).toBe(true);
    expect(isMetadataError(conflict, "TOPIC_EXISTS")).toBe(false);
    expect(isMetadataError(new Error("x"))).toBe(false);
  });
});
