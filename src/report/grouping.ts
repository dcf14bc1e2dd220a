import { severityRank, type Finding } from "../review/types.js";

/**
 * How the comment and the check run list findings: most severe first, then by path and line, and
 * the same finding at several places (one missing check on 18 routes) as one entry with its places.
 */

/** Most severe first, then by location: a list cut to GitHub's limit keeps the blocking findings. */
export function bySeverityThenLocation(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.path.localeCompare(b.path) || a.line - b.line || a.ruleId.localeCompare(b.ruleId);
}

/** Placeholders whose value says where a finding is (a route, a file, a function's place), not what it is. */
const LOCATION_DATA = ["route", "path", "place"] as const;

/** The finding's message with its own places taken out: equal for the same finding at another place. */
function messageWithoutPlace(finding: Finding): string {
  const places = [finding.path, ...LOCATION_DATA.map((key) => finding.data[key])].filter((value): value is string => typeof value === "string" && value.length > 0);
  // Longest first, so a path is not half-replaced through a shorter value it contains.
  return places.sort((a, b) => b.length - a.length).reduce((message, place) => message.split(place).join("\0"), finding.message);
}

export interface FindingGroup {
  /** The first of the group in severity-then-location order: its message and fix stand for all. */
  first: Finding;
  /** Every finding of the group, `first` included, in order. */
  members: Finding[];
}

/**
 * Findings sorted by severity then location, the same rule with the same message (but for where
 * it is) grouped. A group takes the place of its first member, so the order stays severity first.
 */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const finding of [...findings].sort(bySeverityThenLocation)) {
    const key = [finding.ruleId, finding.severity, finding.confidence, finding.messageId, messageWithoutPlace(finding)].join("\u0001");
    const group = groups.get(key);
    if (group) group.members.push(finding);
    else groups.set(key, { first: finding, members: [finding] });
  }
  return [...groups.values()];
}
