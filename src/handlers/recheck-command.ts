/** The comment command that re-runs the review on the current head. */
export const RECHECK_COMMAND = "/security recheck";
/** The comment command that posts the harden plan, optionally for named rules: `/security harden ingress/missing-auth`. */
export const HARDEN_COMMAND = "/security harden";

export type SecurityCommand = { name: "recheck" } | { name: "harden"; rules: string[] };

/** Rule ids and categories a harden command may name; more than this many are not read. */
const RULE_NAME = /^[a-z][a-z0-9-]{0,40}(\/[a-z0-9-]{1,60})?$/;
const MAX_RULES = 20;

/**
 * The command a comment gives: on a line of its own text, not inside a fenced or indented code
 * block, an inline code span, a quote (quoting someone's command is not asking) or an HTML comment.
 * The first command line counts.
 */
export function securityCommandOf(body: string | null | undefined): SecurityCommand | undefined {
  if (!body) return undefined;
  let fence: string | undefined;
  // Text in an HTML comment is not shown, so it asks for nothing; an unclosed one hides the rest.
  const visible = body.replace(/\r\n?/g, "\n").replace(/<!--[\s\S]*?(?:-->|$)/g, "");
  for (const raw of visible.split("\n")) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (fence) {
      if (opener?.[1] && opener[1][0] === fence[0] && opener[1].length >= fence.length && raw.trim() === opener[1]) fence = undefined;
      continue;
    }
    if (opener?.[1]) {
      fence = opener[1];
      continue;
    }
    if (/^ {0,3}>/.test(raw) || /^( {4}|\t)/.test(raw)) continue;
    const text = raw.replace(/`+[^`]*`+/g, " ").trim();
    if (/^\/security\s+recheck(\s|$)/i.test(text)) return { name: "recheck" };
    const harden = /^\/security\s+harden(?:\s+(.*))?$/i.exec(text);
    if (harden) {
      const rules = (harden[1] ?? "").split(/[\s,]+/).filter((word) => RULE_NAME.test(word)).slice(0, MAX_RULES);
      return { name: "harden", rules: [...new Set(rules)] };
    }
  }
  return undefined;
}

/** Whether a comment asks for a recheck (see {@link securityCommandOf}). */
export function isRecheckCommand(body: string | null | undefined): boolean {
  return securityCommandOf(body)?.name === "recheck";
}
