import { defineCheck } from "./define-check.js";

/**
 * In an AI-generated PR, every path that changes stored state (a DB write, a migration) needs a
 * human's eyes: the check run stays `action_required` until a maintainer approves the head.
 */

type MessageId = "write" | "migration";

export default defineCheck<MessageId>({
  id: "ai/unreviewed-mutation",
  title: "AI-generated mutation awaiting human review",
  section: "7 (extra gates for AI-generated code)",
  severity: "high",
  judges: "change",
  docs: "In an AI-generated PR, flags each database write and each migration; a maintainer with write access reviews and approves the current head to clear it.",
  messages: {
    write: "AI-generated code writes to the database here (`{{operation}}`): a maintainer must read this mutation path before it merges.",
    migration: "AI-generated migration `{{path}}` changes the schema: a maintainer must review it (and its rollback) before it merges.",
  },
  run({ project, sem, provenance, report }) {
    if (!provenance.aiGenerated) return;
    for (const file of project.files) {
      if (file.isMigration) {
        report({
          file,
          line: 1,
          messageId: "migration",
          data: { path: file.path },
          fix: "Review the migration line by line (locks, defaults, data loss), confirm it has a rollback, then approve the PR's current head.",
        });
        continue;
      }
      for (const call of file.facts?.calls ?? []) {
        const op = sem.dbOperation(file, call);
        if (op?.op !== "write") continue;
        const table = op.table ? `${op.table.replace(/^['"`]|['"`]$/g, "")}.` : "";
        report({
          file,
          line: call.line,
          column: call.column,
          messageId: "write",
          data: { operation: `${op.library} ${table}${op.method}` },
          fix: "Check who can reach this write, what it filters on (the caller's id or org), and what it stores; then approve the PR's current head to clear the gate.",
        });
      }
    }
  },
});
