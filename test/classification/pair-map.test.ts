import { describe, expect, it } from "vitest";
import { PairMap } from "../../src/review/classification/pair-map.js";

describe("PairMap", () => {
  it("keeps one value per pair, and pairs that would join to the same string apart", () => {
    const map = new PairMap<number>();
    map.set("email", "User", 1);
    map.set("email", "", 2);
    map.set("", "email", 3);
    map.set("a\0b", "c", 4);
    map.set("a", "b\0c", 5);
    map.set("email", "User", 6);
    expect([map.get("email", "User"), map.get("email", ""), map.get("", "email"), map.get("a\0b", "c"), map.get("a", "b\0c")]).toEqual([6, 2, 3, 4, 5]);
    expect(map.get("email", "Patient")).toBeUndefined();
    expect(map.get("User", "email")).toBeUndefined();
  });
});
