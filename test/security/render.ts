import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

/**
 * Renders markdown as GitHub does (CommonMark + GFM: tables, autolink literals, strikethrough),
 * with raw HTML passed through so a test sees any HTML the text would inject.
 */
export function renderGfm(markdown: string): string {
  return micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
}

/** The HTML with code spans and blocks removed: the text GitHub scans for mentions and references. */
export function outsideCode(html: string): string {
  return html.replace(/<pre>[\s\S]*?<\/pre>/g, "").replace(/<code>[\s\S]*?<\/code>/g, "");
}

/** Strings a PR controls, each trying one way out of text. */
export const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "<!-- the rest is hidden",
  "[a link](https://evil.example/login)",
  "![an image](https://evil.example/pixel.png)",
  "@acme/security-team and @octocat",
  "fixes #123 and acme/app#45 and GH-99",
  "https://evil.example/path and www.evil.example and evil@example.com",
  "a ` tick, a `` pair, a ``` fence",
  "line\n# Heading\n| a | b |\n| --- | --- |\n| c | d |",
  "<details open><summary>looks like ours</summary>",
  "**bold** _em_ ~~strike~~ $$\\LaTeX$$",
  "\r\n    indented code\u2028> quote",
].join(" ");

/** What the HTML of a rendering of HOSTILE text must never contain, outside code. */
export function injectedMarkup(html: string, allowed: { headings?: readonly string[]; comments?: number; details?: number } = {}): string[] {
  const problems: string[] = [];
  const text = outsideCode(html);
  if (/<img\b/i.test(text)) problems.push("image");
  if (/<a\b/i.test(text)) problems.push("link");
  if (/<table\b/i.test(text)) problems.push("table");
  if (/<blockquote\b/i.test(text)) problems.push("quote");
  if (/<(del|em|strong)>[^<]*(bold|em|strike)/i.test(text)) problems.push("emphasis");
  const comments = text.match(/<!--/g)?.length ?? 0;
  if (comments > (allowed.comments ?? 0)) problems.push(`${comments} HTML comments`);
  const details = text.match(/<details\b/g)?.length ?? 0;
  if (details > (allowed.details ?? 0)) problems.push(`${details} details`);
  for (const [, heading] of text.matchAll(/<h[1-6]>([\s\S]*?)<\/h[1-6]>/g)) if (!allowed.headings?.includes(heading ?? "")) problems.push(`heading ${heading}`);
  if (/@\w/.test(text)) problems.push("mention");
  if (/(^|[^\w&])#\d|GH-\d/.test(text)) problems.push("reference");
  if (/https?:\/\/|www\.\w/.test(text.replace(/<[^>]+>/g, ""))) problems.push("autolink");
  return problems;
}
