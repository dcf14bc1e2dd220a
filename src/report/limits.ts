/**
 * GitHub's size limits on the text it stores, measured in UTF-8 bytes: a body one byte over is
 * refused, and a refused post would leave the gate without its verdict. Every renderer cuts its
 * output with these helpers, keeping what comes first (the verdict, then blocking findings).
 */

/** `output.summary` and `output.text` of a check run. */
export const CHECK_RUN_TEXT_BYTES = 65_535;
/** An issue comment, a review body or a review comment. */
export const COMMENT_BODY_BYTES = 65_536;
/** An annotation's message (GitHub documents 64 KB). */
export const ANNOTATION_MESSAGE_BYTES = 64 * 1024;
/** A check run's `output.title` and an annotation's title, kept short. */
export const TITLE_BYTES = 255;

/** UTF-8 length, counted without encoding (a lone surrogate counts as the 3 bytes of U+FFFD it is sent as). */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The UTF-8 size of one code point. */
function codePointBytes(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** The longest prefix of `text` of at most `limit` bytes, never splitting a character. */
export function cutToBytes(text: string, limit: number): string {
  if (text.length * 3 <= limit || utf8Bytes(text) <= limit) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = codePointBytes(char.codePointAt(0)!);
    if (bytes + size > limit) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * `text` when it fits in `limit` bytes; otherwise its longest prefix that ends at a line break,
 * followed by `note`. Cutting at a line keeps a markdown list item or paragraph whole.
 */
export function fitToBytes(text: string, limit: number, note: string): string {
  if (utf8Bytes(text) <= limit) return text;
  const suffix = `\n\n${note}`;
  const room = Math.max(0, limit - utf8Bytes(suffix));
  const head = cutToBytes(text, room);
  const lastBreak = head.lastIndexOf("\n");
  const kept = lastBreak > 0 ? head.slice(0, lastBreak) : head;
  return cutToBytes(`${kept.trimEnd()}${suffix}`, limit);
}

/**
 * Joins `head` and as many of `blocks` as fit in `limit` bytes, in order, then `tail` when it
 * still fits. When blocks are left out, `omitted(n)` says so in their place.
 */
export function joinWithinBytes(head: string, blocks: readonly string[], limit: number, omitted: (count: number) => string, separator = "\n"): string {
  let out = cutToBytes(head, limit);
  let used = utf8Bytes(out);
  let index = 0;
  for (; index < blocks.length; index++) {
    const piece = `${separator}${blocks[index]}`;
    const size = utf8Bytes(piece);
    // Room is kept for the note on what was left out.
    const reserve = index < blocks.length - 1 ? utf8Bytes(`${separator}${omitted(blocks.length - index)}`) : 0;
    if (used + size + reserve > limit) break;
    out += piece;
    used += size;
  }
  if (index < blocks.length) out += cutToBytes(`${separator}${omitted(blocks.length - index)}`, limit - used);
  return out;
}
