import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { Lexer, parse } from "yaml";
import { ConfigError, parseConfig, type Config } from "./schema.js";

/**
 * Reading `.github/security-review.yml` with bounded work. A config is a few dozen lines; whoever
 * controls the file (the default branch, or the owner's `.github` repository) must not be able to
 * make a review parse for seconds: the file is capped in bytes, the YAML in tokens, flow nesting
 * and aliases, all checked by a linear lexer pass before the document is built.
 */

/** Largest config file read, in bytes. */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** Most YAML tokens (scalars, indicators, line breaks) in a config: the longest real one has a few hundred. */
export const MAX_YAML_TOKENS = 20_000;
/** Deepest `[`/`{` nesting. */
export const MAX_YAML_FLOW_DEPTH = 32;
/** Most alias (`*name`) uses, so a small file cannot expand into a huge document. */
export const MAX_YAML_ALIASES = 50;

function refuse(source: string, problem: string): ConfigError {
  return new ConfigError(`${source} ${problem}`, [`(file): ${source} ${problem}`]);
}

/** The problem with a config file's size, if it is over {@link MAX_CONFIG_BYTES}. */
export function configSizeProblem(bytes: number): string | undefined {
  return bytes > MAX_CONFIG_BYTES ? `is larger than ${MAX_CONFIG_BYTES} bytes (${bytes} bytes): a config file is at most 64 KB` : undefined;
}

/**
 * The config file's YAML as plain data (null when empty), or a ConfigError whose one problem is
 * `(file): …`: too large, too many tokens, nested too deep, or not valid YAML.
 */
export function parseConfigYaml(text: string, source = ".github/security-review.yml"): unknown {
  const size = configSizeProblem(Buffer.byteLength(text, "utf8"));
  if (size) throw refuse(source, size);
  let tokens = 0;
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    if (++tokens > MAX_YAML_TOKENS) throw refuse(source, `has more than ${MAX_YAML_TOKENS} YAML tokens: a config file is a few dozen keys`);
    if (token === "[" || token === "{") {
      if (++depth > MAX_YAML_FLOW_DEPTH) throw refuse(source, `nests [ ] or { } more than ${MAX_YAML_FLOW_DEPTH} deep`);
    } else if (token === "]" || token === "}") {
      depth = Math.max(0, depth - 1);
    }
  }
  try {
    return parse(text, { maxAliasCount: MAX_YAML_ALIASES, prettyErrors: false, uniqueKeys: true, logLevel: "error" }) ?? null;
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 200);
    throw refuse(source, `is not valid YAML: ${first}`);
  }
}

/** Parses and validates the text of `.github/security-review.yml`. Throws ConfigError with the exact problem. */
export function parseConfigText(text: string, source = ".github/security-review.yml"): Config {
  return parseConfig(parseConfigYaml(text, source), source);
}

/**
 * Reads and validates a config file from disk, looking at its size before reading it, so a huge
 * file is refused without being loaded.
 */
export function readConfigFile(path: string, source: string): Config {
  const fd = openSync(path, "r");
  try {
    const size = configSizeProblem(fstatSync(fd).size);
    if (size) throw refuse(source, size);
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    const sizeAfter = configSizeProblem(read);
    if (sizeAfter) throw refuse(source, sizeAfter);
    return parseConfigText(buffer.subarray(0, read).toString("utf8"), source);
  } finally {
    closeSync(fd);
  }
}
