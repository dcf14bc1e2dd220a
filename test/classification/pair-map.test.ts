import { describe, expect, it } from "vitest";
import { PairMap } from "../../src/review/classification/pair-map.js";

describe("PairMap", () => {
  it("keys exactly as a Map keyed by `${first}\\0${second}` does, NULs included", () => {
    const pairs: [string, string][] = [
      ["email", ""], ["email", "User"], ["", "email"], ["a\0b", "c"], ["a", "b\0c"], ["a\0", "b"], ["a", "\0b"],
      ["a", "b\0"], ["a\0b\0", ""], ["a", "b\0\0"], ["a\0\0b", ""], ["", ""], ["\0", ""], ["", "\0"],
    ];
    const pairMap = new PairMap<number>();
    const joined = new Map<string, number>();
    pairs.forEach(([first, second], i) => {
      expect(pairMap.get(first, second)).toBe(joined.get(`${first}\0${second}`));
      if (i % 2 === 0 || pairMap.get(first, second) === undefined) {
        pairMap.set(first, second, i);
        joined.set(`${first}\0${second}`, i);
      }
    });
    for (const [first, second] of pairs) expect(pairMap.get(first, second)).toBe(joined.get(`${first}\0${second}`));
    expect(pairMap.get("a\0b", "c")).toBe(pairMap.get("a", "b\0c"));
    expect(pairMap.get("missing", "")).toBeUndefined();
  });
});
