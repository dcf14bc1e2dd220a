import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RULE_IDS } from "../../src/checks/ids.js";
import { CHECKS } from "../../src/checks/index.js";

const CATALOGUE = [
  "ingress/missing-auth", "ingress/missing-rate-limit", "ingress/in-memory-rate-limit",
  "authz/missing-role-check", "authz/missing-org-context", "authz/missing-ownership-check", "authz/admin-client-module-scope",
  "authz/admin-client-unguarded", "auth/jwt-decode-without-verify", "authz/hardcoded-allowlist",
  "redirect/open-redirect", "logging/pii-in-logs", "crypto/regulated-plaintext-write",
  "crypto/missing-encryption-context", "crypto/decrypt-at-boundary", "egress/phi-without-baa",
  "trace/missing-request-id", "audit/missing-audit-log", "ai/unreviewed-mutation",
  "ai/migration-without-rollback", "ai/unbounded-llm-call", "mutation/unfiltered-write",
];

const ruleFiles = readdirSync(new URL("../../src/checks/", import.meta.url)).filter(
  (f) => f.endsWith(".ts") && !["ids.ts", "index.ts", "define-check.ts", "fixes.ts"].includes(f),
);

describe("rule registry", () => {
  it("lists every rule file exactly once, named after its id", () => {
    const names = CHECKS.map((c) => `${c.id.split("/")[1]}.ts`).sort();
    expect(names).toEqual([...ruleFiles].sort());
  });

  it("is sorted by id and ids are unique", () => {
    const ids = CHECKS.map((c) => c.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("has exactly the ids the config accepts (src/checks/ids.ts)", () => {
    expect(CHECKS.map((c) => c.id)).toEqual([...RULE_IDS]);
  });

  it("uses only catalogue ids", () => {
    for (const check of CHECKS) expect(CATALOGUE).toContain(check.id);
  });

  it.each(CHECKS.map((c) => [c.id, c] as const))("%s is documented", (_id, check) => {
    expect(check.title.length).toBeGreaterThan(5);
    expect(check.docs.length).toBeGreaterThan(40);
    expect(check.section).toMatch(/\d|seed/);
    expect(Object.keys(check.messages).length).toBeGreaterThan(0);
    for (const message of Object.values(check.messages)) expect(String(message).length).toBeGreaterThan(20);
  });
});
