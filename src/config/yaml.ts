import { parse } from "yaml";
import { ConfigError, parseConfig, type Config } from "./schema.js";

/** Largest config file read, in bytes: a config is a few lines; anything bigger is hostile or a mistake. */
export const MAX_CONFIG_BYTES = 256 * 1024;

/** Parses and validates the text of `.github/security-review.yml`. Throws ConfigError with the exact problem. */
export function parseConfigText(text: string, source = ".github/security-review.yml"): Config {
  if (text.length > MAX_CONFIG_BYTES) {
    throw new ConfigError(`${source} is larger than ${MAX_CONFIG_BYTES} bytes`, [`(root): file larger than ${MAX_CONFIG_BYTES} bytes`]);
  }
  let raw: unknown;
  try {
    // Aliases are capped so a small file cannot expand into a huge document.
    raw = parse(text, { maxAliasCount: 50, prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "invalid YAML";
    throw new ConfigError(`${source} is not valid YAML: ${first}`, [`(root): not valid YAML: ${first}`]);
  }
  return parseConfig(raw ?? null, source);
}
