import { OPTIONS, type OptionSpec } from "./options.js";

/** The Markdown table of settings in docs/configuration.md, built from OPTIONS. */
export function configurationTable(): string {
  const rows = (OPTIONS as readonly OptionSpec[]).map(
    (o) => `| \`${o.env}\` | \`--${o.flag}\` | ${o.default === "" ? "(see text)" : `\`${o.default}\``} | ${o.doc} |`,
  );
  return ["| Variable | Flag | Default | Meaning |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
