import { describe, expect, it } from "vitest";
import { isRecheckCommand } from "../../src/handlers/recheck-command.js";

describe("isRecheckCommand", () => {
  it.each([
    ["/security recheck", true],
    ["  /security recheck please", true],
    ["Thanks!\n\n/Security  Recheck\n", true],
    ["```\n/security recheck\n```\n/security recheck", true],
    ["/security rechecked", false],
    ["please /security recheck", false],
    ["> /security recheck", false],
    ["```\n/security recheck\n```", false],
    ["~~~md\n/security recheck\n~~~", false],
    ["    /security recheck", false],
    ["`/security recheck`", false],
    ["", false],
  ])("%j → %s", (body, expected) => {
    expect(isRecheckCommand(body)).toBe(expected);
  });
});
