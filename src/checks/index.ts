import type { CheckDefinition } from "./define-check.js";
import jwtDecodeWithoutVerify from "./jwt-decode-without-verify.js";
import migrationWithoutRollback from "./migration-without-rollback.js";
import unboundedLlmCall from "./unbounded-llm-call.js";
import unreviewedMutation from "./unreviewed-mutation.js";

/**
 * Every rule, sorted by id. An explicit list, no discovery: a rule that is not here does not run,
 * and a test checks that each rule file is listed and documented.
 */
export const CHECKS = [
  migrationWithoutRollback,
  unboundedLlmCall,
  unreviewedMutation,
  jwtDecodeWithoutVerify,
] as const satisfies readonly CheckDefinition<string>[];
