import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/schema.js";
import { detectProvenance } from "../../src/review/provenance.js";
import { parseCommitTrailers, type PullRequestSnapshot } from "../../src/snapshot.js";

function pr(overrides: Partial<PullRequestSnapshot> = {}, messages: string[] = []): PullRequestSnapshot {
  return {
    repo: "a/b",
    title: "t",
    body: "",
    labels: [],
    files: [],
    commits: messages.map((message, i) => ({ sha: String(i), message, trailers: parseCommitTrailers(message) })),
    ...overrides,
  };
}
const config = ConfigSchema.parse({});

describe("AI provenance", () => {
  it.each([
    ["label", pr({ labels: ["AI-Generated"] }), /label "AI-Generated"/],
    ["Copilot co-author by noreply address", pr({}, ["x\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>"]), /Co-authored-by: Copilot/],
    ["Claude co-author", pr({}, ["x\n\nCo-authored-by: Claude <noreply@anthropic.com>"]), /Claude/],
    ["Cursor agent", pr({}, ["x\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>"]), /Cursor/],
    ["Devin bot", pr({}, ["x\n\nCo-authored-by: devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>"]), /devin/],
    ["Generated-by trailer", pr({}, ["x\n\nGenerated-by: Gemini"]), /Generated-by: Gemini/],
    ["AI-Assisted: true", pr({}, ["x\n\nAI-Assisted: true"]), /AI-Assisted: true/],
    ["agent bot author", pr({ author: { login: "copilot-swe-agent[bot]", type: "Bot" } }), /author copilot-swe-agent/],
    ["branch prefix", pr({ branch: "codex/fix-login" }), /branch codex\/fix-login/],
  ])("%s marks the PR AI-generated and names the signal", (_name, snapshot, signal) => {
    const result = detectProvenance(snapshot, config);
    expect(result.aiGenerated).toBe(true);
    expect(result.signals.join("; ")).toMatch(signal);
  });

  it.each([
    ["a human co-author", pr({}, ["x\n\nCo-authored-by: Claudia Jones <claudia@example.com>"])],
    ["AI-Assisted: false", pr({}, ["x\n\nAI-Assisted: false"])],
    ["a branch that merely mentions ai", pr({ branch: "feature/ai-settings" })],
    ["an unrelated label", pr({ labels: ["bug"] })],
    ["a trailer-looking line in the middle of the message", pr({}, ["Co-authored-by: Copilot\n\nbody text"])],
  ])("%s is not a signal", (_name, snapshot) => {
    expect(detectProvenance(snapshot, config)).toEqual({ aiGenerated: false, signals: [] });
  });

  it("configured labels, agents and prefixes extend the defaults; --ai forces it", () => {
    const custom = ConfigSchema.parse({ ai: { labels: ["bot-made"], agents: ["acme coder"], branchPrefixes: ["gen/"] } });
    expect(detectProvenance(pr({ labels: ["bot-made"] }), custom).aiGenerated).toBe(true);
    expect(detectProvenance(pr({}, ["x\n\nCo-authored-by: Acme Coder <bot@acme.dev>"]), custom).aiGenerated).toBe(true);
    expect(detectProvenance(pr({ branch: "gen/x" }), custom).aiGenerated).toBe(true);
    expect(detectProvenance(pr(), config, true).signals[0]).toMatch(/--ai/);
  });
});
