import { describe, expect, it } from "vitest";
import { changedLinesFromPatch, parseUnifiedDiff } from "../../src/review/diff.js";

const lines = (patch: string): number[] => [...changedLinesFromPatch(patch)].sort((a, b) => a - b);

describe("changedLinesFromPatch", () => {
  it("reads GitHub's hunk-only patch with several hunks", () => {
    const patch = [
      "@@ -1,4 +1,5 @@",
      " import express from \"express\";",
      "-const a = 1;",
      "+const a = 2;",
      "+const b = 3;",
      " ",
      " export {};",
      "@@ -20,3 +21,4 @@ function handler() {",
      "   const x = 1;",
      "+  log(x);",
      "   return x;",
      " }",
    ].join("\n");
    expect(lines(patch)).toEqual([2, 3, 22]);
  });

  it("gives nothing for a hunk that only deletes", () => {
    const patch = ["@@ -3,4 +3,2 @@", " keep", "-gone one", "-gone two", " keep too", "@@ -40,2 +38,3 @@", " a", "+b", " c"].join("\n");
    expect(lines(patch)).toEqual([39]);
  });

  it("handles `\\ No newline at end of file` on either side", () => {
    const patch = ["@@ -1,2 +1,3 @@", " first", "-last", "\\ No newline at end of file", "+last;", "+extra", "\\ No newline at end of file"].join("\n");
    expect(lines(patch)).toEqual([2, 3]);
  });

  it("counts a removed `-- comment` and an added `++ x` line by the hunk's counts, not as headers", () => {
    const patch = ["@@ -1,2 +1,2 @@", "--- old sql comment", "+++ counter", " select 1;"].join("\n");
    expect(lines(patch)).toEqual([1]);
  });

  it("reads a whole `git diff` file section with headers", () => {
    const patch = [
      "diff --git a/src/app.ts b/src/app.ts",
      "index 83db48f..bf269f4 100644",
      "--- a/src/app.ts",
      "+++ b/src/app.ts",
      "@@ -5,3 +5,4 @@ export function main() {",
      "   start();",
      "+  audit();",
      "   stop();",
      " }",
    ].join("\n");
    expect(lines(patch)).toEqual([6]);
  });

  it("marks every line of a new file", () => {
    expect(lines(["@@ -0,0 +1,3 @@", "+a", "+b", "+c"].join("\n"))).toEqual([1, 2, 3]);
  });

  it("gives an empty set for an empty patch", () => {
    expect(changedLinesFromPatch("").size).toBe(0);
    expect(changedLinesFromPatch("\n").size).toBe(0);
  });
});

describe("parseUnifiedDiff", () => {
  const sections = {
    added: ["diff --git a/src/new.ts b/src/new.ts", "new file mode 100644", "index 0000000..3b18e51", "--- /dev/null", "+++ b/src/new.ts", "@@ -0,0 +1,2 @@", "+export const a = 1;", "+export const b = 2;"],
    removed: ["diff --git a/src/old.ts b/src/old.ts", "deleted file mode 100644", "index 3b18e51..0000000", "--- a/src/old.ts", "+++ /dev/null", "@@ -1 +0,0 @@", "-export const a = 1;"],
    pureRename: ["diff --git a/docs/a.md b/docs/b.md", "similarity index 100%", "rename from docs/a.md", "rename to docs/b.md"],
    renameWithEdit: [
      "diff --git a/lib/before.ts b/lib/after.ts",
      "similarity index 80%",
      "rename from lib/before.ts",
      "rename to lib/after.ts",
      "index 1111111..2222222 100644",
      "--- a/lib/before.ts",
      "+++ b/lib/after.ts",
      "@@ -1,2 +1,2 @@",
      " keep",
      "-old",
      "+new",
    ],
    binary: ["diff --git a/img/logo.png b/img/logo.png", "new file mode 100644", "index 0000000..badc806", "Binary files /dev/null and b/img/logo.png differ"],
    modeOnly: ["diff --git a/run.sh b/run.sh", "old mode 100644", "new mode 100755"],
    spaced: [
      "diff --git a/my file.ts b/my file.ts",
      "index f00c965..b0dfe06 100644",
      "--- a/my file.ts\t",
      "+++ b/my file.ts\t",
      "@@ -1,2 +1,2 @@",
      "-a",
      "+b",
      " c",
    ],
    quotedRename: ['diff --git "a/q\\"uote.ts" "b/t\\303\\251st.ts"', "similarity index 100%", 'rename from "q\\"uote.ts"', 'rename to "t\\303\\251st.ts"'],
  };

  it("gives one entry per file with its status, previous path and raw section", () => {
    const text = Object.values(sections).map((section) => section.join("\n")).join("\n") + "\n";
    const files = parseUnifiedDiff(text);
    expect(files.map(({ path, previousPath, status }) => ({ path, previousPath, status }))).toEqual([
      { path: "src/new.ts", previousPath: undefined, status: "added" },
      { path: "src/old.ts", previousPath: undefined, status: "removed" },
      { path: "docs/b.md", previousPath: "docs/a.md", status: "renamed" },
      { path: "lib/after.ts", previousPath: "lib/before.ts", status: "renamed" },
      { path: "img/logo.png", previousPath: undefined, status: "added" },
      { path: "run.sh", previousPath: undefined, status: "modified" },
      { path: "my file.ts", previousPath: undefined, status: "modified" },
      { path: "tést.ts", previousPath: 'q"uote.ts', status: "renamed" },
    ]);
    expect(files.map((file) => file.patch)).toEqual(Object.values(sections).map((section) => section.join("\n")));
    expect(lines(files[3]!.patch)).toEqual([2]);
    expect(lines(files[0]!.patch)).toEqual([1, 2]);
  });

  it("marks a copy as copied", () => {
    const [file] = parseUnifiedDiff(["diff --git a/a.ts b/c.ts", "similarity index 100%", "copy from a.ts", "copy to c.ts"].join("\n"));
    expect(file).toMatchObject({ path: "c.ts", previousPath: "a.ts", status: "copied" });
  });

  it("drops text before the first file (a commit header) and reads CRLF output", () => {
    const text = ["commit 0123456789abcdef", "Author: A <a@example.com>", "", "    subject", "", ...sections.added].join("\r\n");
    const files = parseUnifiedDiff(text);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ path: "src/new.ts", status: "added", patch: sections.added.join("\n") });
  });

  it("reads a single unified diff without a `diff --git` line", () => {
    const text = ["--- a/x.ts", "+++ b/x.ts", "@@ -1 +1 @@", "-a", "+b", ""].join("\n");
    expect(parseUnifiedDiff(text)).toEqual([{ path: "x.ts", status: "modified", patch: text.trimEnd() }]);
  });

  it("gives nothing for an empty diff", () => {
    expect(parseUnifiedDiff("")).toEqual([]);
  });
});
