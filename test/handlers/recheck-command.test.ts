import { describe, expect, it } from "vitest";
import { isRecheckCommand, securityCommandOf } from "../../src/handlers/recheck-command.js";

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

describe("securityCommandOf", () => {
  it.each([
    ["/security harden", { name: "harden", rules: [] }],
    ["Could you?\n/security harden ingress/missing-auth, redirect", { name: "harden", rules: ["ingress/missing-auth", "redirect"] }],
    ["/security harden ingress/missing-auth ingress/missing-auth", { name: "harden", rules: ["ingress/missing-auth"] }],
    // Words that are not rule names (markup, paths, mentions) are not read.
    ["/security harden <img src=x> @someone ../etc/passwd authz", { name: "harden", rules: ["authz"] }],
    ["/security recheck", { name: "recheck" }],
    ["/security hardened", undefined],
    ["> /security harden", undefined],
    ["```\n/security harden\n```", undefined],
    ["<!-- /security harden -->", undefined],
  ])("%j → %j", (body, expected) => {
    expect(securityCommandOf(body)).toEqual(expected);
  });

  it("reads at most 20 rule names", () => {
    const names = Array.from({ length: 30 }, (_, i) => `rule${i}`);
    expect((securityCommandOf(`/security harden ${names.join(" ")}`) as { rules: string[] }).rules).toEqual(names.slice(0, 20));
  });
});
