import type { Suppression } from "../review/types.js";
import { codeSpan, escapeText } from "./markdown.js";

/** One waiver as the comment and the check run list it: where, which rule, and why, or why it is not in effect. */
export function renderWaiver(waiver: Suppression): string {
  const status =
    waiver.ruleId === "*" ? "**names no rule, so not in effect**" : waiver.reason ? escapeText(waiver.reason, 500) : "**no reason given, so not in effect**";
  return `- ${codeSpan(waiver.ruleId, 100)} at ${codeSpan(`${waiver.path}:${waiver.line}`)}: ${status}`;
}
