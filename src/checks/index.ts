import adminClientModuleScope from "./admin-client-module-scope.js";
import adminClientUnguarded from "./admin-client-unguarded.js";
import hardcodedAllowlist from "./hardcoded-allowlist.js";
import decryptAtBoundary from "./decrypt-at-boundary.js";
import type { CheckDefinition } from "./define-check.js";
import inMemoryRateLimit from "./in-memory-rate-limit.js";
import jwtDecodeWithoutVerify from "./jwt-decode-without-verify.js";
import missingAuditLog from "./missing-audit-log.js";
import missingAuth from "./missing-auth.js";
import missingEncryptionContext from "./missing-encryption-context.js";
import missingOrgContext from "./missing-org-context.js";
import missingOwnershipCheck from "./missing-ownership-check.js";
import missingRateLimit from "./missing-rate-limit.js";
import missingRequestId from "./missing-request-id.js";
import missingRoleCheck from "./missing-role-check.js";
import migrationWithoutRollback from "./migration-without-rollback.js";
import openRedirect from "./open-redirect.js";
import phiWithoutBaa from "./phi-without-baa.js";
import piiInLogs from "./pii-in-logs.js";
import regulatedPlaintextWrite from "./regulated-plaintext-write.js";
import unboundedLlmCall from "./unbounded-llm-call.js";
import unfilteredWrite from "./unfiltered-write.js";
import unreviewedMutation from "./unreviewed-mutation.js";

/**
 * Every rule, sorted by id. An explicit list, no discovery: a rule that is not here does not run,
 * and a test checks that each rule file is listed and documented.
 */
export const CHECKS = [
  migrationWithoutRollback,
  unboundedLlmCall,
  unreviewedMutation,
  missingAuditLog,
  jwtDecodeWithoutVerify,
  adminClientModuleScope,
  adminClientUnguarded,
  hardcodedAllowlist,
  missingOrgContext,
  missingOwnershipCheck,
  missingRoleCheck,
  decryptAtBoundary,
  missingEncryptionContext,
  regulatedPlaintextWrite,
  phiWithoutBaa,
  inMemoryRateLimit,
  missingAuth,
  missingRateLimit,
  piiInLogs,
  unfilteredWrite,
  openRedirect,
  missingRequestId,
] as const satisfies readonly CheckDefinition<string>[];
