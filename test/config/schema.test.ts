import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_CONFIG, parseConfig } from "../../src/config/schema.js";
import { parseConfigText } from "../../src/config/yaml.js";

describe("config schema", () => {
  it("an absent config gives the defaults", () => {
    expect(parseConfig(null)).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({ failOn: "critical", inlineMinSeverity: "high", maxInlineComments: 25, recheckPerHour: 5 });
  });

  it.each([
    ["failOn: sometimes", "failOn"],
    ["maxInlineComments: -1", "maxInlineComments"],
    ["rules:\n  NotARule: off", "rules.NotARule"],
    ["rules:\n  ingress/missing-auth: loud", "rules.ingress/missing-auth"],
    ["functions:\n  auth: requireAuth", "functions.auth"],
    ["paths:\n  exclud: ['a']", "paths"],
    ["tpyo: 1", "(root)"],
    ["limits:\n  maxFileBytes: 1", "limits.maxFileBytes"],
  ])("rejects %j naming %s", (yaml, key) => {
    try {
      parseConfigText(yaml);
      expect.unreachable("should have thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.some((p) => p.startsWith(key))).toBe(true);
    }
  });

  it("accepts project names and rule overrides", () => {
    const config = parseConfigText("functions:\n  auth: [getViewer]\n  baa: [assertBaa]\nrules:\n  trace/missing-request-id: off\nfailOn: high\n");
    expect(config.functions.auth).toEqual(["getViewer"]);
    expect(config.rules["trace/missing-request-id"]).toBe("off");
    expect(config.failOn).toBe("high");
  });

  it("refuses alias bombs and oversized files with a clear problem", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    expect(() => parseConfigText(bomb)).toThrow(ConfigError);
    expect(() => parseConfigText(`# ${"x".repeat(300_000)}`)).toThrow(/larger than/);
  });
});
