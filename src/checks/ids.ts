/**
 * Every rule id, sorted: the ids the config's `rules:` accepts, kept apart from the rules themselves
 * so the config schema can name them without loading the engine. A test holds this list equal to
 * the registry (src/checks/index.ts).
 */
export const RULE_IDS = [
  "ai/migration-without-rollback",
  "ai/unbounded-llm-call",
  "ai/unreviewed-mutation",
  "audit/missing-audit-log",
  "auth/jwt-decode-without-verify",
  "authz/admin-client-module-scope",
  "authz/admin-client-unguarded",
  "authz/hardcoded-allowlist",
  "authz/missing-org-context",
  "authz/missing-ownership-check",
  "authz/missing-role-check",
  "crypto/decrypt-at-boundary",
  "crypto/missing-encryption-context",
  "crypto/regulated-plaintext-write",
  "egress/phi-without-baa",
  "ingress/in-memory-rate-limit",
  "ingress/missing-auth",
  "ingress/missing-rate-limit",
  "logging/pii-in-logs",
  "mutation/unfiltered-write",
  "redirect/open-redirect",
  "trace/missing-request-id",
] as const;

export type RuleId = (typeof RULE_IDS)[number];
