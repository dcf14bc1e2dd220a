/** The comment command that re-runs the review on the current head. */
export const RECHECK_COMMAND = "/security recheck";

/**
 * Whether a comment asks for a recheck: the command on a line of its own text, not inside a fenced
 * or indented code block, an inline code span, a quote (quoting someone's command is not asking)
 * or an HTML comment.
 */
export function isRecheckCommand(body: string | null | undefined): boolean {
  if (!body) return false;
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
    if (/^\/security\s+recheck(\s|$)/i.test(text)) return true;
  }
  return false;
}
