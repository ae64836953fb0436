import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allHandlers } from "../src/handlers/all-handlers.js";
import { HandlerRegistry } from "../src/handlers/handler-registry.js";
import { advertisedApiTable } from "../src/handlers/advertised-table.js";
import type { BrokerServices } from "../src/services.js";

describe("docs/protocol-support.md", () => {
  it("lists exactly the APIs and versions the broker advertises", () => {
    const registry = new HandlerRegistry([]);
    // Building handlers reads nothing from the services; only handling a request does.
    for (const h of allHandlers({} as BrokerServices, registry)) registry.register(h);
    const doc = readFileSync(new URL("../../../docs/protocol-support.md", import.meta.url), "utf8");
    expect(doc).toContain(advertisedApiTable(registry));
  });
});
