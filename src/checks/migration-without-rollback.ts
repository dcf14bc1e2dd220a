import type { AnalysedFile } from "../review/analysis/project.js";
import { defineCheck } from "./define-check.js";

/** An AI-generated PR that adds a migration with no way back. */

type MessageId = "noRollback";

const DOWN_SECTION = /^\s*--\s*(migrate:down|\+goose\s+down|\+migrate\s+down|down\b|rollback\b)/im;
const DOWN_EXPORT = /\bexport\s+(async\s+)?(function\s+down|const\s+down)\b|exports\.down\s*=|\bdown\s*:\s*(async\s*)?\(|\basync\s+down\s*\(/;

function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The migration's own rollback, or a sibling down file (`x.down.sql`, `down.sql`, `x_down.sql`). */
function hasRollback(file: AnalysedFile, all: readonly AnalysedFile[]): boolean {
  if (DOWN_SECTION.test(file.text) || DOWN_EXPORT.test(file.text)) return true;
  const dir = dirOf(file.path);
  const stem = baseOf(file.path).replace(/\.(up\.)?(sql|ts|js|mjs|cjs)$/i, "").replace(/[._-]up$/i, "");
  return all.map((f) => f.path).some((p) => {
    if (p === file.path) return false;
    const b = baseOf(p);
    if (!/down|rollback|revert/i.test(b)) return false;
    return dirOf(p) === dir && (b.startsWith(stem) || /^(down|rollback)\.sql$/i.test(b)) || (dirOf(p).endsWith("/down") && b.includes(stem));
  });
}

export default defineCheck<MessageId>({
  id: "ai/migration-without-rollback",
  title: "AI-generated migration without a rollback",
  section: "7 (extra gates for AI-generated code)",
  severity: "medium",
  judges: "change",
  docs: "In an AI-generated PR, flags an added migration that has no down migration; the fix adds one (a `*.down.sql` beside it, a `-- migrate:down` section, or an exported `down`).",
  messages: {
    noRollback: "AI-generated migration `{{path}}` has no down/rollback migration: if it misbehaves in production there is no reviewed way back.",
  },
  run({ project, provenance, report }) {
    if (!provenance.aiGenerated) return;
    const migrations = project.files.filter((f) => f.isMigration);
    for (const file of migrations) {
      if (/down|rollback|revert/i.test(baseOf(file.path))) continue;
      if (hasRollback(file, project.files)) continue;
      const isSql = file.language === "sql";
      report({
        file,
        line: 1,
        messageId: "noRollback",
        data: { path: file.path },
        fix: isSql
          ? `Add \`${baseOf(file.path).replace(/\.sql$/i, ".down.sql")}\` beside it that reverses each statement (drop what it creates, restore what it alters), and test it against a copy of production.`
          : "Export a `down` function that reverses `up`, and test it against a copy of production.",
      });
    }
  },
});
