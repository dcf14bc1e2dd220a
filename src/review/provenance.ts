import type { Config } from "../config/schema.js";
import type { PullRequestSnapshot } from "../snapshot.js";
import type { Provenance } from "./types.js";

/** Whether a PR is AI-generated, and which signals say so (DESIGN "AI provenance"). */

export const DEFAULT_AI_LABELS = ["ai-generated", "ai", "copilot", "claude", "claude-code", "cursor", "codex", "devin", "ai-assisted", "gemini", "aider", "sweep", "openhands"];

/** Agents recognised by name or noreply address in `Co-authored-by:` / `Generated-by:` trailers. */
export const DEFAULT_AI_AGENTS = [
  "copilot",
  "github copilot",
  "claude",
  "anthropic",
  "cursor",
  "cursor agent",
  "devin",
  "codex",
  "openai",
  "chatgpt",
  "gemini",
  "google jules",
  "jules",
  "aider",
  "sweep",
  "openhands",
  "amazon q",
  "codewhisperer",
  "tabnine",
  "windsurf",
  "codeium",
  "cline",
  "roo code",
  "replit agent",
  "v0",
  "bolt",
  "lovable",
];

export const DEFAULT_AI_AUTHORS = [
  "copilot",
  "copilot-swe-agent[bot]",
  "copilot-swe-agent",
  "devin-ai-integration[bot]",
  "claude[bot]",
  "cursor[bot]",
  "codex[bot]",
  "chatgpt-codex-connector[bot]",
  "google-labs-jules[bot]",
  "sweep-ai[bot]",
  "openhands-agent",
  "amazon-q-developer[bot]",
];

export const DEFAULT_AI_BRANCH_PREFIXES = ["copilot/", "codex/", "claude/", "cursor/", "devin/", "ai/", "jules/", "sweep/", "openhands/", "aider/"];

const AI_NOREPLY = /(noreply@anthropic\.com|copilot@github\.com|\+copilot@users\.noreply\.github\.com|198982749\+copilot|devin-ai-integration|cursoragent@cursor\.com|noreply@cursor\.com|codex@openai\.com|jules@google\.com|noreply@openai\.com|aider@|sweep-ai)/i;

function matchesAgent(value: string, agents: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  if (AI_NOREPLY.test(lower)) return value;
  // The name part of `Name <email>`.
  const name = lower.replace(/<[^>]*>/, "").trim();
  return agents.find((agent) => name === agent || name.startsWith(`${agent} `) || name.startsWith(`${agent}[`) || new RegExp(`(^|[^a-z])${agent.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^a-z]|$)`).test(name));
}

export function detectProvenance(snapshot: PullRequestSnapshot, config: Config, forceAi: boolean | string = false): Provenance {
  const signals: string[] = [];
  if (forceAi) signals.push(typeof forceAi === "string" ? forceAi : "marked AI-generated on the command line (--ai)");

  const labels = new Set([...DEFAULT_AI_LABELS, ...config.ai.labels].map((l) => l.toLowerCase()));
  for (const label of snapshot.labels) {
    if (labels.has(label.toLowerCase())) signals.push(`label "${label}"`);
  }

  const agents = [...DEFAULT_AI_AGENTS, ...config.ai.agents.map((a) => a.toLowerCase())];
  const seen = new Set<string>();
  for (const commit of snapshot.commits) {
    for (const trailer of commit.trailers) {
      const key = trailer.key.toLowerCase();
      let signal: string | undefined;
      if (key === "co-authored-by" && matchesAgent(trailer.value, agents)) signal = `commit trailer Co-authored-by: ${trailer.value.replace(/<[^>]*>/, "").trim()}`;
      else if (key === "generated-by" || key === "generated-with") signal = `commit trailer ${trailer.key}: ${trailer.value}`;
      else if ((key === "ai-assisted" || key === "ai-generated") && /^(true|yes|1)$/i.test(trailer.value)) signal = `commit trailer ${trailer.key}: ${trailer.value}`;
      if (signal && !seen.has(signal)) {
        seen.add(signal);
        signals.push(signal);
      }
    }
  }

  const authors = new Set([...DEFAULT_AI_AUTHORS, ...config.ai.authors].map((a) => a.toLowerCase()));
  if (snapshot.author && authors.has(snapshot.author.login.toLowerCase())) signals.push(`author ${snapshot.author.login}`);

  const prefixes = [...DEFAULT_AI_BRANCH_PREFIXES, ...config.ai.branchPrefixes];
  const branch = snapshot.branch;
  const prefix = branch ? prefixes.find((p) => branch.toLowerCase().startsWith(p.toLowerCase())) : undefined;
  if (prefix) signals.push(`branch ${branch} (prefix ${prefix})`);

  return { aiGenerated: signals.length > 0, signals };
}
