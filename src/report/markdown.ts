/**
 * The one escaping layer for text that comes from a pull request — paths, identifiers, string
 * literals, code, branch names, commit messages, labels, config values — in every markdown the app
 * posts (the threat-model comment, inline comments, check run output). Such text appears only
 * inside a code span or fenced block whose backtick fence is longer than any run in it, or escaped
 * so it cannot open HTML, a `<!--` comment, a link, an image, a heading, a table, an `@mention`,
 * a `#reference` or an autolink. GitHub's own limits still apply: see `limits.ts`.
 */

/** Longest untrusted value shown in one place, in characters: a path or an identifier, not a file. */
export const MAX_INLINE_CHARS = 300;

const ZERO_WIDTH_SPACE = "\u200B";

/** Line breaks of every kind CommonMark knows, and the separators JavaScript also treats as lines. */
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

/** At most `max` characters (whole code points), with an ellipsis when cut. */
export function clip(text: string, max = MAX_INLINE_CHARS): string {
  // No more UTF-16 units than `max` is no more code points either: nothing to count.
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** One line: a line break inside a span would let the next line start a block (a heading, a table). */
function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, " ");
}

/** An inline code span holding `text` literally, whatever backticks it contains. */
export function codeSpan(text: string, max = MAX_INLINE_CHARS): string {
  const content = clip(oneLine(text), max);
  if (content.length === 0) return "` `";
  const longest = Math.max(0, ...Array.from(content.matchAll(/`+/g), (match) => match[0].length));
  const ticks = "`".repeat(longest + 1);
  // A span that starts or ends with a backtick (or is padded already) needs a space on each side.
  const pad = /^[` ]|[` ]$/.test(content) ? " " : "";
  return `${ticks}${pad}${content}${pad}${ticks}`;
}

/** The backtick fence for a fenced block holding `text`: longer than any backtick run in it. */
export function fenceFor(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (match) => match[0].length));
  return "`".repeat(longest + 1);
}

/** A fenced code block holding `text` literally; `info` is ours (a language or `suggestion`). */
export function codeFence(text: string, info = ""): string {
  const body = text.replace(LINE_BREAKS, "\n");
  const ticks = fenceFor(body);
  return `${ticks}${info}\n${body}\n${ticks}`;
}

/** Characters that open inline markup anywhere in a line: escapes, code, emphasis, links and images, HTML and entities, strikethrough, table cells, math. */
const INLINE_MARKUP = /[\\`*_[\]<>&~|$]/g;

/**
 * Plain text, escaped: every character that opens inline markup is backslash-escaped (no HTML,
 * `<!--`, link, image or emphasis survives), a leading character that would start a block (a
 * heading, a quote, a list) is escaped too, and a zero-width space breaks what GitHub links after
 * rendering — `@mentions`, `#123`, `owner/repo#1` and `GH-123` references, `scheme://` and `www.`
 * autolinks, e-mail addresses.
 */
export function escapeText(text: string, max = MAX_INLINE_CHARS): string {
  return escapeLineStart(escapeInline(clip(oneLine(text), max)));
}

function escapeInline(text: string): string {
  return (
    text
      .replace(INLINE_MARKUP, (char) => `\\${char}`)
      .replace(/@|#(?=\w)|:(?=\/\/)|(?<=\bGH)-(?=\d)/gi, (char) => `${char}${ZERO_WIDTH_SPACE}`)
      // GFM takes any non-space character after `www.` as part of a domain: the break goes inside `www`.
      .replace(/\b(w)(ww\.)/gi, `$1${ZERO_WIDTH_SPACE}$2`)
  );
}

/** Text that may begin a line must not begin a block: an indented code block, a heading, a quote, a list. */
function escapeLineStart(text: string): string {
  return text.replace(/^\s+/, "").replace(/^([#>+\-=])/, "\\$1").replace(/^(\d{1,9})([.)])/, "$1\\$2");
}

/**
 * Prose written by the engine (a finding's message or fix, a surface line, a note) that quotes the
 * PR's names in inline code: the code spans are kept as code, re-fenced so a backtick in a quoted
 * name cannot end them early, and everything between them is escaped. A quoted name cannot turn
 * the rest of the line into markup: at worst it splits a span in two.
 */
export function escapeProse(text: string, max = 2_000): string {
  const source = clip(oneLine(text), max);
  const out: string[] = [];
  let plain = "";
  let index = 0;
  while (index < source.length) {
    const open = /`+/.exec(source.slice(index));
    if (!open) break;
    const start = index + open.index;
    const ticks = open[0];
    // CommonMark: a span closes at the next run of exactly as many backticks.
    const closer = new RegExp(`(?<!\`)${ticks}(?!\`)`, "g");
    closer.lastIndex = start + ticks.length;
    const close = closer.exec(source);
    if (!close) {
      plain += source.slice(index, start + ticks.length);
      index = start + ticks.length;
      continue;
    }
    plain += source.slice(index, start);
    out.push(escapeInline(plain));
    plain = "";
    const content = source.slice(start + ticks.length, close.index);
    const trimmed = content.length > 2 && content.startsWith(" ") && content.endsWith(" ") ? content.slice(1, -1) : content;
    out.push(codeSpan(trimmed, Infinity));
    index = close.index + ticks.length;
  }
  plain += source.slice(index);
  out.push(escapeInline(plain));
  return escapeLineStart(out.join(""));
}
