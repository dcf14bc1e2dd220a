import { describe, expect, it } from "vitest";
import {
  CLASS_RULES,
  countLoc,
  matchLabel,
  notAnalysedPath,
  parseCases,
  parseTsv,
  percent,
  perKloc,
  precision,
  replayHit,
  rulesForClass,
  summarize,
  toRepoPath,
  total,
  type BenchFinding,
  type Label,
} from "../../bench/realworld/lib.mjs";

const label = (over: Partial<Label> = {}): Label => ({
  repo: "acme/app",
  rule: "ingress/missing-auth",
  path: "src/routes/a.ts",
  line: 10,
  verdict: "false",
  reason: "false: guard in wrapper not credited",
  ...over,
});

const finding = (over: Partial<BenchFinding> = {}): BenchFinding => ({
  ruleId: "ingress/missing-auth",
  severity: "critical",
  path: "src/routes/a.ts",
  line: 10,
  ...over,
});

describe("matchLabel", () => {
  it("matches the same repo, rule and path within two lines", () => {
    const l = label();
    expect(matchLabel(finding({ line: 12 }), "acme/app", [l])).toBe(l);
    expect(matchLabel(finding({ line: 8 }), "acme/app", [l])).toBe(l);
  });

  it("does not match three lines away, or another rule, path or repo", () => {
    const l = label();
    expect(matchLabel(finding({ line: 13 }), "acme/app", [l])).toBeUndefined();
    expect(matchLabel(finding({ ruleId: "authz/missing-role-check" }), "acme/app", [l])).toBeUndefined();
    expect(matchLabel(finding({ path: "src/routes/b.ts" }), "acme/app", [l])).toBeUndefined();
    expect(matchLabel(finding(), "other/app", [l])).toBeUndefined();
  });

  it("picks the nearest label when two fit", () => {
    const far = label({ line: 8, verdict: "true" });
    const near = label({ line: 11, verdict: "false" });
    expect(matchLabel(finding({ line: 10 }), "acme/app", [far, near])).toBe(near);
  });
});

describe("precision and per-kLOC arithmetic", () => {
  it("is true over judged, debatable counting as judged", () => {
    expect(precision({ true: 3, false: 5, debatable: 2 })).toBeCloseTo(0.3);
  });

  it("is null when nothing was judged, not 0 or 1", () => {
    expect(precision({ true: 0, false: 0, debatable: 0 })).toBeNull();
    expect(percent(null)).toBe("n/a");
    expect(percent(0.456)).toBe("46%");
  });

  it("divides by thousands of lines and is null with no lines", () => {
    expect(perKloc(3, 20_000)).toBeCloseTo(0.15);
    expect(perKloc(3, 0)).toBeNull();
  });
});

describe("summarize", () => {
  it("counts severities, verdicts of critical and high only, and lists unjudged ones", () => {
    const findings = [
      finding({ severity: "critical", label: label({ verdict: "true" }) }),
      finding({ severity: "critical", label: label({ verdict: "false" }) }),
      finding({ severity: "high", label: label({ verdict: "false" }) }),
      finding({ severity: "high", label: label({ verdict: "debatable" }) }),
      finding({ severity: "high", line: 99 }),
      finding({ severity: "medium", label: label({ verdict: "false" }) }),
    ];
    const s = summarize(findings, 10_000);
    expect(s.bySeverity).toMatchObject({ critical: 2, high: 3, medium: 1, low: 0 });
    expect(s.critical).toEqual({ true: 1, false: 1, debatable: 0, unjudged: 0 });
    expect(s.criticalHigh).toEqual({ true: 1, false: 2, debatable: 1, unjudged: 1 });
    expect(s.precisionCritical).toBeCloseTo(0.5);
    expect(s.precisionCriticalHigh).toBeCloseTo(0.25);
    expect(s.falsePositivesPerKloc).toBeCloseTo(0.2);
    expect(s.unjudged.map((f) => f.line)).toEqual([99]);
  });

  it("rejects a label with a verdict that is not true, false or debatable", () => {
    const bad = { ...label(), verdict: "maybe" } as unknown as Label;
    expect(() => summarize([finding({ label: bad })], 1000)).toThrow(/unknown verdict/);
  });

  it("totals recompute ratios on the sums, not by averaging", () => {
    const a = { findings: [finding({ label: label({ verdict: "true" }) })], loc: 1000 };
    const b = { findings: [finding({ label: label({ verdict: "false" }) }), finding({ label: label({ verdict: "false" }) }), finding({ label: label({ verdict: "false" }) })], loc: 29_000 };
    const t = total([a, b]);
    expect(t.precisionCritical).toBeCloseTo(0.25);
    expect(t.falsePositivesPerKloc).toBeCloseTo(0.1);
  });
});

describe("replayHit and the class → rule map", () => {
  const advisory = { class: "idor", vulnerable_path: "src/trpc/polls.ts", vulnerable_line: "100" };

  it("finds a new finding of a fitting rule within three lines", () => {
    const hit = finding({ ruleId: "authz/missing-ownership-check", path: "src/trpc/polls.ts", line: 103, new: true });
    expect(replayHit([hit], advisory)).toBe(hit);
  });

  it("does not count a finding that is not new, too far, on another file, or from an unfitting rule", () => {
    const base = { ruleId: "authz/missing-ownership-check", path: "src/trpc/polls.ts", line: 100, new: true };
    expect(replayHit([finding({ ...base, new: false })], advisory)).toBeUndefined();
    expect(replayHit([finding({ ...base, line: 104 })], advisory)).toBeUndefined();
    expect(replayHit([finding({ ...base, path: "src/trpc/other.ts" })], advisory)).toBeUndefined();
    expect(replayHit([finding({ ...base, ruleId: "logging/pii-in-logs" })], advisory)).toBeUndefined();
  });

  it("maps every class the advisories use, and nothing for an unknown class", () => {
    for (const cls of ["idor", "missing-auth", "missing-rate-limit", "missing-org-context", "weak-permission", "pii-in-logs", "missing-role-check", "open-redirect", "unverified-webhook", "in-memory-limiter", "jwt-decode"]) {
      expect(rulesForClass(cls).length, cls).toBeGreaterThan(0);
    }
    expect(rulesForClass("open-redirect")).toEqual(["redirect/open-redirect"]);
    expect(rulesForClass("jwt-decode")).toEqual(["auth/jwt-decode-without-verify"]);
    expect(CLASS_RULES["unverified-webhook"]).toContain("ingress/missing-auth");
    expect(rulesForClass("toString")).toEqual([]);
    expect(rulesForClass("no-such-class")).toEqual([]);
  });
});

describe("parsers and paths", () => {
  it("reads a TSV with a header into objects", () => {
    expect(parseTsv("id\tclass\na\tidor\nb\topen-redirect\n")).toEqual([
      { id: "a", class: "idor" },
      { id: "b", class: "open-redirect" },
    ]);
  });

  it("reads cases with optional paths", () => {
    expect(parseCases("x\towner+repo\tabc\n y\towner+repo\tdef\tsrc/a.ts\tsrc/b.ts\n".replace(" ", ""))).toEqual([
      { id: "x", mirror: "owner+repo", fix: "abc", paths: [] },
      { id: "y", mirror: "owner+repo", fix: "def", paths: ["src/a.ts", "src/b.ts"] },
    ]);
  });

  it("makes a path printed relative to the scan root repo-relative, deepest existing first", () => {
    const files = new Set(["apps/web/src/a.ts", "src/b.ts"]);
    const exists = (p: string) => files.has(p);
    expect(toRepoPath("a.ts", "apps/web/src", exists)).toBe("apps/web/src/a.ts");
    expect(toRepoPath("src/a.ts", "apps/web/src", exists)).toBe("apps/web/src/a.ts");
    expect(toRepoPath("src/b.ts", "apps/web/src", exists)).toBe("src/b.ts");
    expect(toRepoPath("missing.ts", "apps/web", exists)).toBe("missing.ts");
  });

  it("counts non-blank lines and reads not-analysed paths from notes", () => {
    expect(countLoc("a\n\n  \nb\n")).toBe(2);
    expect(notAnalysedPath("scripts/x.ts: skipped: test, fixture, script or generated file (paths.exclude)")).toBe("scripts/x.ts");
    expect(notAnalysedPath("a/b.pug: not analysed: unsupported language")).toBe("a/b.pug");
    expect(notAnalysedPath("3 files were not listed by GitHub.")).toBeUndefined();
  });
});
