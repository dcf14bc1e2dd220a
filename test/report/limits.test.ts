import { describe, expect, it } from "vitest";
import { cutToBytes, fitToBytes, utf8Bytes } from "../../src/report/limits.js";
import { clip } from "../../src/report/markdown.js";

/** One, two, three and four UTF-8 bytes, and a lone surrogate (sent as U+FFFD, three bytes). */
const MIXED = `a é € 😀 \uD800 z`.repeat(50);

describe("byte limits", () => {
  it("counts bytes as GitHub receives them", () => {
    expect(utf8Bytes("a")).toBe(1);
    expect(utf8Bytes("é€😀")).toBe(2 + 3 + 4);
    expect(utf8Bytes("\uD800")).toBe(new TextEncoder().encode("\uD800").length);
  });

  it("cuts to the longest prefix within the limit, never inside a character, at every limit", () => {
    for (let limit = 0; limit <= utf8Bytes(MIXED) + 1; limit += 7) {
      const cut = cutToBytes(MIXED, limit);
      expect(MIXED.startsWith(cut)).toBe(true);
      expect(utf8Bytes(cut)).toBeLessThanOrEqual(limit);
      // One more character would not fit (or there is none left).
      const next = Array.from(MIXED.slice(cut.length))[0];
      if (next !== undefined) expect(utf8Bytes(cut + next)).toBeGreaterThan(limit);
      // 😀 is a surrogate pair: never cut between its halves.
      expect(cut.endsWith("\uD83D")).toBe(false);
    }
  });

  it("fits a text with a note at a line break", () => {
    const text = Array.from({ length: 400 }, (_, index) => `- item ${index} ${"€".repeat(20)}`).join("\n");
    const fitted = fitToBytes(text, 1_000, "cut.");
    expect(utf8Bytes(fitted)).toBeLessThanOrEqual(1_000);
    expect(fitted.endsWith("\n\ncut.")).toBe(true);
    expect(fitted.split("\n").slice(0, -2).every((line) => /^- item \d+ €{20}$/.test(line))).toBe(true);
  });

  it("clips by code points", () => {
    expect(clip("😀".repeat(10), 5)).toBe(`${"😀".repeat(4)}…`);
    expect(clip("😀".repeat(3), 5)).toBe("😀".repeat(3));
    expect(clip("abc", 3)).toBe("abc");
    expect(clip("abcd", 3)).toBe("ab…");
  });
});
