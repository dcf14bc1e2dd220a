import { z } from "zod";
import { RULE_IDS } from "../checks/ids.js";
import { SEVERITIES } from "../review/types.js";
import { globProblem, MAX_GLOB_LENGTH } from "./globs.js";

/**
 * `.github/security-review.yml`, validated. Every field is optional; the defaults below are what a
 * repository without the file gets. Unknown keys are rejected so a typo never silently disables a rule.
 */

const severity = z.enum(SEVERITIES);
const names = z.array(z.string().min(1).max(200)).max(500);
/** A path glob: at most {@link MAX_GLOB_LENGTH} characters, no nested or negated extglobs (see globs.ts). */
const glob = z
  .string()
  .min(1)
  .max(MAX_GLOB_LENGTH)
  .superRefine((value, ctx) => {
    const problem = value.length <= MAX_GLOB_LENGTH ? globProblem(value) : undefined;
    if (problem) ctx.addIssue({ code: "custom", message: `glob ${JSON.stringify(value.slice(0, 40))}: ${problem}` });
  });
const globs = z.array(glob).max(500);

export const DEFAULT_EXCLUDES = [
  "**/*.test.*",
  "**/*.spec.*",
  "**/test/**",
  "**/tests/**",
  "**/__tests__/**",
  "**/__mocks__/**",
  "**/fixtures/**",
  "**/scripts/**",
  "**/seed.*",
  "**/seeds/**",
  "**/*.d.ts",
  "**/dist/**",
  "**/build/**",
  "**/.next/**",
  "**/node_modules/**",
  "**/generated/**",
  "**/*.generated.*",
  "**/*.min.js",
];

export const ConfigSchema = z
  .object({
    // Each field's description is also its documentation in the JSON Schema editors read (see json-schema.ts).
    failOn: severity.default("critical").describe("Lowest severity of a new finding that fails the check run and blocks the merge."),
    incomplete: z.enum(["require-approval", "allow"]).default("require-approval").describe("A review a limit cut short (a source file too large, screened out or too slow; a check that did not finish): `require-approval` holds the check run at `action_required` until a user with write access approves the head; `allow` lets it pass with the gaps listed."),
    inlineMinSeverity: severity.default("high").describe("Lowest severity that gets an inline review comment on the diff."),
    maxInlineComments: z.number().int().min(0).max(100).default(25).describe("Most inline comments in one review; the rest are listed in the threat-model comment."),
    reviewDrafts: z.boolean().default(false).describe("Whether draft PRs are reviewed before they are marked ready for review."),
    paths: z
      .object({
        include: globs.default([]).describe("Globs of files to review; empty means every file."),
        exclude: globs.default([]).describe("Globs of files to skip, added to the default exclusions (tests, fixtures, scripts, generated code)."),
        useDefaultExcludes: z.boolean().default(true).describe("Set to false to review tests, fixtures and generated files too."),
      })
      .strict()
      .default({ include: [], exclude: [], useDefaultExcludes: true })
      .describe("Which files are reviewed."),
    publicRoutes: globs.default([]).describe("Routes that are public by design (URL paths like `/api/webhooks/*` or file globs like `app/api/public/**`): `missing-auth` skips them and `missing-rate-limit` checks them."),
    multiTenant: z.boolean().optional().describe("Whether the code base is multi-tenant; by default it is inferred from org/tenant columns and filters."),
    functions: z
      .object({
        auth: names.default([]).describe("Calls that authenticate the caller (`requireAuth`, `getSession`)."),
        role: names.default([]).describe("Calls that check a role (`requireRole`, `assertAdmin`); they imply auth."),
        orgContext: names.default([]).describe("Calls that scope queries to the caller's organisation (`withOrgContext`)."),
        admin: names.default([]).describe("Admin checks and wrappers (`requireAdmin`, `withAdmin`)."),
        audit: names.default([]).describe("Audit-log writers (`logAdminAction`)."),
        encrypt: names.default([]).describe("Field encryption through KMS (`encryptField`)."),
        decrypt: names.default([]).describe("Field decryption through KMS (`decryptField`)."),
        baa: names.default([]).describe("Runtime BAA assertions (`assertBaaSigned`)."),
        rateLimit: names.default([]).describe("Rate-limit calls (`limiter.limit`, `checkRateLimit`)."),
      })
      .strict()
      .default({ auth: [], role: [], orgContext: [], admin: [], audit: [], encrypt: [], decrypt: [], baa: [], rateLimit: [] }).describe("The project's own function names, added to the recognised libraries."),
    ai: z
      .object({
        labels: names.default([]).describe("PR labels that mark it AI-generated (`ai-generated`)."),
        agents: names.default([]).describe("Agent names matched in `Co-authored-by:` and `Generated-by:` trailers."),
        authors: names.default([]).describe("Bot logins that author AI PRs (`copilot-swe-agent[bot]`)."),
        branchPrefixes: names.default([]).describe("Head branch prefixes of AI agents (`copilot/`)."),
      })
      .strict()
      .default({ labels: [], agents: [], authors: [], branchPrefixes: [] }).describe("Signals that mark a PR as AI-generated, added to the defaults."),
    rules: z.partialRecord(z.enum(RULE_IDS), z.union([z.literal("off"), severity])).default({}).describe("Per-rule overrides: `off`, or a severity that replaces the rule's default."),
    recheckPerHour: z.number().int().min(0).max(1000).default(5).describe("`/security recheck` runs allowed per PR per hour."),
    limits: z
      .object({
        maxFileBytes: z.number().int().min(1_000).max(20_000_000).default(1_000_000).describe("Largest file analysed, in bytes."),
        maxFiles: z.number().int().min(1).max(3_000).default(1_000).describe("Most files analysed in one review. A `scan` reviews a repository in chunks of at most this many source files, grouped by folder, each with the code it imports read as context."),
        scanFiles: z.number().int().min(1).max(1_000_000).default(100_000).describe("Most files one `scan` lists, in path order; the rest are counted, not reviewed, and make the review incomplete."),
        fileTimeoutMs: z.number().int().min(10).max(60_000).default(2_000).describe("Time budget for one file's analysis, in milliseconds."),
        reviewTimeoutMs: z.number().int().min(100).max(600_000).default(60_000).describe("Time budget for the whole review, in milliseconds (for a `scan`, for each chunk of `maxFiles` files)."),
        contextDepth: z.number().int().min(0).max(10).default(3).describe("Import levels followed from the PR's files to read the code they depend on (0: none)."),
        contextFiles: z.number().int().min(0).max(5_000).default(400).describe("Most unchanged files read as context for the PR's files."),
      })
      .strict()
      .default({ maxFileBytes: 1_000_000, maxFiles: 1_000, scanFiles: 100_000, fileTimeoutMs: 2_000, reviewTimeoutMs: 60_000, contextDepth: 3, contextFiles: 400 })
      .describe("Bounds on the work of one review; what a limit keeps out makes the review incomplete."),
  })
  .strict();

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});

export class ConfigError extends Error {
  constructor(
    message: string,
    /** Each problem as `path.to.key: problem`. */
    readonly problems: string[],
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Validates parsed YAML/JSON; throws a ConfigError naming each bad key. */
export function parseConfig(raw: unknown, source = ".github/security-review.yml"): Config {
  if (raw === null || raw === undefined) return DEFAULT_CONFIG;
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
    // A misspelt rule id would otherwise leave the rule it meant on, silently: name each one.
    if (issue.code === "unrecognized_keys" && key === "rules") return issue.keys.map((id) => `rules.${id}: unknown rule id (the rule ids are listed in docs/rules/)`);
    return [`${key}: ${issue.message}`];
  });
  throw new ConfigError(`${source} is invalid: ${problems.join("; ")}`, problems);
}
