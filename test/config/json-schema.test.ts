import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { RULE_IDS } from "../../src/checks/ids.js";
import { CONFIG_SCHEMA_FILE, configJsonSchema, configJsonSchemaText } from "../../src/config/json-schema.js";
import { parseConfig } from "../../src/config/schema.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const validate = new Ajv({ allErrors: true, strict: false }).compile(configJsonSchema());

describe("config JSON Schema", () => {
  it("the shipped file is what the zod schema generates (run `npm run build` after changing the schema)", () => {
    expect(read(CONFIG_SCHEMA_FILE)).toBe(configJsonSchemaText());
    expect((JSON.parse(read("package.json")) as { files: string[] }).files).toContain(CONFIG_SCHEMA_FILE);
  });

  it("documents every key and names the rule ids the config accepts", () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string; propertyNames?: { enum: string[] } }> };
    for (const [key, property] of Object.entries(schema.properties)) expect(property.description, key).toBeTruthy();
    expect(schema.properties.rules!.propertyNames!.enum).toEqual([...RULE_IDS]);
  });

  it.each([
    ["failOn: high\nincomplete: allow\n", true],
    ["rules:\n  ingress/missing-auth: off\n  trace/missing-request-id: medium\n", true],
    ["paths:\n  exclude: ['legacy/**']\npublicRoutes: ['/api/webhooks/*']\nfunctions:\n  auth: [requireUser]\n", true],
    ["limits:\n  maxFileBytes: 200000\n  contextDepth: 0\n", true],
    ["_extends: acme/.github\nfailOn: high\n", true],
    ["failOn: sometimes\n", false],
    ["rules:\n  ingress/missing-auht: off\n", false],
    ["rules:\n  ingress/missing-auth: loud\n", false],
    ["tpyo: 1\n", false],
    ["paths:\n  exclud: ['a']\n", false],
    ["limits:\n  maxFiles: 0\n", false],
    ["functions:\n  auth: requireAuth\n", false],
  ])("agrees with the review's own validation on %j (valid: %s)", (yaml, valid) => {
    const raw = parse(yaml) as Record<string, unknown>;
    expect(validate(raw)).toBe(valid);
    // The app reads `_extends` before validating (src/github/config.ts); the rest is the zod schema's to judge.
    const { _extends: _ignored, ...rest } = raw;
    if (valid) expect(() => parseConfig(rest)).not.toThrow();
    else expect(() => parseConfig(rest)).toThrow();
  });
});
