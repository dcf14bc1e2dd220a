import { z } from "zod";
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
    /** Lowest severity of a new finding that fails the check run and blocks the merge. */
    failOn: severity.default("critical"),
    /**
     * A review a limit cut short (a source file too large, screened out or too slow; a check that
     * did not finish): `require-approval` holds the check run at `action_required` until a user
     * with write access approves the head; `allow` lets it pass with the gaps listed.
     */
    incomplete: z.enum(["require-approval", "allow"]).default("require-approval"),
    /** Lowest severity that gets an inline review comment on the diff. */
    inlineMinSeverity: severity.default("high"),
    /** Most inline comments in one review; the rest are listed in the threat-model comment. */
    maxInlineComments: z.number().int().min(0).max(100).default(25),
    /** Whether draft PRs are reviewed before they are marked ready for review. */
    reviewDrafts: z.boolean().default(false),
    paths: z
      .object({
        /** Globs of files to review; empty means every file. */
        include: globs.default([]),
        /** Globs of files to skip, added to the default exclusions (tests, fixtures, scripts, generated code). */
        exclude: globs.default([]),
        /** Set to false to review tests, fixtures and generated files too. */
        useDefaultExcludes: z.boolean().default(true),
      })
      .strict()
      .default({ include: [], exclude: [], useDefaultExcludes: true }),
    /**
     * Routes that are public by design (URL paths like `/api/webhooks/*` or file globs like
     * `app/api/public/**`): `missing-auth` skips them and `missing-rate-limit` checks them.
     */
    publicRoutes: globs.default([]),
    /** Whether the code base is multi-tenant; by default it is inferred from org/tenant columns and filters. */
    multiTenant: z.boolean().optional(),
    /** The project's own function names, added to the recognised libraries. */
    functions: z
      .object({
        /** Calls that authenticate the caller (`requireAuth`, `getSession`). */
        auth: names.default([]),
        /** Calls that check a role (`requireRole`, `assertAdmin`); they imply auth. */
        role: names.default([]),
        /** Calls that scope queries to the caller's organisation (`withOrgContext`). */
        orgContext: names.default([]),
        /** Admin checks and wrappers (`requireAdmin`, `withAdmin`). */
        admin: names.default([]),
        /** Audit-log writers (`logAdminAction`). */
        audit: names.default([]),
        /** Field encryption through KMS (`encryptField`). */
        encrypt: names.default([]),
        /** Field decryption through KMS (`decryptField`). */
        decrypt: names.default([]),
        /** Runtime BAA assertions (`assertBaaSigned`). */
        baa: names.default([]),
        /** Rate-limit calls (`limiter.limit`, `checkRateLimit`). */
        rateLimit: names.default([]),
      })
      .strict()
      .default({ auth: [], role: [], orgContext: [], admin: [], audit: [], encrypt: [], decrypt: [], baa: [], rateLimit: [] }),
    /** Signals that mark a PR as AI-generated, added to the defaults. */
    ai: z
      .object({
        labels: names.default([]),
        /** Agent names matched in `Co-authored-by:` and `Generated-by:` trailers. */
        agents: names.default([]),
        /** Bot logins that author AI PRs (`copilot-swe-agent[bot]`). */
        authors: names.default([]),
        branchPrefixes: names.default([]),
      })
      .strict()
      .default({ labels: [], agents: [], authors: [], branchPrefixes: [] }),
    /** Per-rule overrides: `off`, or a severity that replaces the rule's default. */
    rules: z.record(z.string().regex(/^[a-z]+\/[a-z0-9-]+$/, "a rule id such as ingress/missing-auth"), z.union([z.literal("off"), severity])).default({}),
    /** `/security recheck` runs allowed per PR per hour. */
    recheckPerHour: z.number().int().min(0).max(1000).default(5),
    limits: z
      .object({
        /** Largest file analysed, in bytes. */
        maxFileBytes: z.number().int().min(1_000).max(20_000_000).default(1_000_000),
        /** Most files analysed in one review. */
        maxFiles: z.number().int().min(1).max(3_000).default(1_000),
        /** Time budget for one file's analysis, in milliseconds. */
        fileTimeoutMs: z.number().int().min(10).max(60_000).default(2_000),
        /** Time budget for the whole review, in milliseconds. */
        reviewTimeoutMs: z.number().int().min(100).max(600_000).default(60_000),
        /** Import levels followed from the PR's files to read the code they depend on (0: none). */
        contextDepth: z.number().int().min(0).max(10).default(3),
        /** Most unchanged files read as context for the PR's files. */
        contextFiles: z.number().int().min(0).max(5_000).default(400),
      })
      .strict()
      .default({ maxFileBytes: 1_000_000, maxFiles: 1_000, fileTimeoutMs: 2_000, reviewTimeoutMs: 60_000, contextDepth: 3, contextFiles: 400 }),
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
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
    return `${key}: ${issue.message}`;
  });
  throw new ConfigError(`${source} is invalid: ${problems.join("; ")}`, problems);
}
