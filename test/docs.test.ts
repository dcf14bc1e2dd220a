import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../src/checks/index.js";
import { configJsonSchema } from "../src/config/json-schema.js";
import { parseConfig } from "../src/config/schema.js";
import { runCheck } from "./checks/tester.js";

/**
 * The documentation against the code: one page per registered rule (and no page for a rule that
 * does not exist), each page's flagged example flagged by its rule and its clean example not, and
 * every relative link in the README and docs/ pointing at a file that exists.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const RULES_DIR = join(ROOT, "docs", "rules");

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? markdownFiles(path) : entry.name.endsWith(".md") ? [path] : [];
  });
}

interface Example {
  path: string;
  code: string;
  ai: boolean;
}

/** The fenced blocks of one `## heading` section, each naming its file in the info string (`ts file=app/x.ts`). */
function examples(page: string, heading: string): Example[] {
  const section = page.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? "";
  return [...section.matchAll(/^```(\w+) file=(\S+)( ai)?\n([\s\S]*?)^```$/gm)].map((match) => ({ path: match[2]!, code: match[4]!, ai: Boolean(match[3]) }));
}

const rulePages = markdownFiles(RULES_DIR).filter((path) => !path.endsWith("README.md"));
const ruleIdOf = (path: string) => relative(RULES_DIR, path).replace(/\\/g, "/").replace(/\.md$/, "");

describe("rule documentation", () => {
  it("has a page for every registered rule and no page for anything else", () => {
    expect(rulePages.map(ruleIdOf).sort()).toEqual(CHECKS.map((check) => check.id).sort());
  });

  it("lists every rule in the rules index and the README", () => {
    const index = readFileSync(join(RULES_DIR, "README.md"), "utf8");
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const check of CHECKS) {
      expect(index).toContain(`](${check.id}.md)`);
      expect(readme).toContain(`](docs/rules/${check.id}.md)`);
    }
  });

  it.each(CHECKS.map((check) => [check.id, check] as const))("%s: its page says what, why, a flagged and a clean example, the fix and how to waive", (id, check) => {
    const page = readFileSync(join(RULES_DIR, `${id}.md`), "utf8");
    expect(page.split("\n")[0]).toBe(`# \`${id}\`: ${check.title}`);
    for (const heading of ["What it flags", "Why", "Flagged", "Clean", "Fix", "Waive"]) expect(page).toMatch(new RegExp(`^## ${heading}$`, "m"));
    expect(page).toContain(`// security-review-ignore ${id} -- `);

    const flagged = examples(page, "Flagged");
    const clean = examples(page, "Clean");
    expect(flagged.length).toBeGreaterThan(0);
    expect(clean.length).toBeGreaterThan(0);
    const review = (files: Example[]) => runCheck(check, { name: id, files: Object.fromEntries(files.map((file) => [file.path, file.code])), ai: files.some((file) => file.ai) });
    expect(review(flagged).map((finding) => finding.ruleId)).toContain(id);
    expect(review(clean).map((finding) => `${finding.path}:${finding.line} ${finding.message}`)).toEqual([]);
  });
});

describe("documentation links", () => {
  const pages = [join(ROOT, "README.md"), join(ROOT, "bench", "README.md"), ...markdownFiles(join(ROOT, "docs"))];
  it.each(pages.map((page) => [relative(ROOT, page), page] as const))("%s links only to files that exist", (_name, page) => {
    const text = readFileSync(page, "utf8").replace(/^```[\s\S]*?^```$/gm, "");
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^(https?:|mailto:|#)/.test(target));
    const missing = targets.filter((target) => !existsSync(join(dirname(page), decodeURIComponent(target.split("#")[0]!))));
    expect(missing).toEqual([]);
  });
});

describe("README and configuration reference", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const reference = readFileSync(join(ROOT, "docs", "configuration.md"), "utf8");
  const yamlBlocks = (text: string) => [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);

  it("the README stays a page a newcomer reads: at most 250 lines", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(250);
  });

  it("the config examples are valid configs that name the JSON Schema", () => {
    const examples = [...yamlBlocks(readme), ...yamlBlocks(reference)].filter((block) => block.includes("yaml-language-server: $schema="));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const example of examples) {
      expect(example.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=\S+\/security-review\.schema\.json$/);
      expect(() => parseConfig(parse(example))).not.toThrow();
    }
  });

  it("the workflow examples are YAML that runs the action and uploads its SARIF", () => {
    const action = readFileSync(join(ROOT, "docs", "action.md"), "utf8");
    const workflows = [...yamlBlocks(readme), ...yamlBlocks(action)].filter((block) => block.includes("upload-sarif"));
    expect(workflows.length).toBe(2);
    for (const workflow of workflows) {
      const steps = (parse(workflow) as { jobs: { review: { steps: { uses?: string; with?: Record<string, unknown> }[] } } }).jobs.review.steps;
      expect(steps.map((step) => step.uses)).toEqual(["actions/checkout@v4", "OWNER/pr-security-review@main", "github/codeql-action/upload-sarif@v3"]);
      expect(steps[2]!.with!.sarif_file).toBe("${{ steps.review.outputs.sarif }}");
    }
  });

  it("the configuration reference names every key of the schema", () => {
    const schema = configJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
    for (const [key, property] of Object.entries(schema.properties)) {
      expect(reference).toContain(`| \`${key}\` |`);
      for (const child of Object.keys(property.properties ?? {})) expect(reference).toContain(`| \`${key}.${child}\` |`);
    }
  });
});
