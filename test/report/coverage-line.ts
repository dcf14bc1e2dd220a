import { CHECKLIST_STEPS } from "../../src/report/checklist.js";

/** The line a full threat model ends with: the nine checklist steps in order, each marked checked, open or not applicable. */
export const COVERAGE_LINE = new RegExp(`^\\*\\*Checklist coverage:\\*\\* ${CHECKLIST_STEPS.map(({ step, label }) => `[✅❓➖] ${step} ${label}`).join(" · ")} \\(`);

export function lastLine(comment: string): string {
  return comment.trimEnd().split("\n").at(-1) ?? "";
}
