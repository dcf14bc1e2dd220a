import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";

/**
 * Supported runtimes: Node.js 22, 24 and 26. `npm ci` must install without an EBADENGINE warning on
 * each, the image must run an LTS `-slim` base, and CI must run the README's test command on Node 24.
 */

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
const pkg = JSON.parse(read("package.json")) as { engines: { node: string } };
const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { engines?: unknown }> };

const SUPPORTED_MAJORS = [22, 24, 26];

/** The oldest release of a major the package's `engines` admits. */
function oldestAdmitted(major: number): string {
  const oldest = semver.minVersion(`${pkg.engines.node} ^${major}.0.0`);
  if (!oldest) throw new Error(`engines ${pkg.engines.node} admits no Node.js ${major}`);
  return oldest.version;
}

describe("supported runtimes", () => {
  it.each(SUPPORTED_MAJORS)("engines admits Node.js %i and not 20", (major) => {
    expect(semver.satisfies(oldestAdmitted(major), pkg.engines.node)).toBe(true);
    expect(semver.satisfies("20.19.0", pkg.engines.node)).toBe(false);
  });

  it.each(SUPPORTED_MAJORS)("every locked package admits the oldest Node.js %i the engines allow (no EBADENGINE)", (major) => {
    const version = oldestAdmitted(major);
    const refused = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const engines = entry.engines as { node?: string } | undefined;
      const range = typeof engines === "object" && engines !== null && !Array.isArray(engines) ? engines.node : undefined;
      return range && !semver.satisfies(version, range) ? [`${path || "(root)"} needs node ${range}`] : [];
    });
    expect(refused).toEqual([]);
  });

  it("the image builds and runs on the Node.js 24 LTS -slim base, as a non-root user", () => {
    const dockerfile = read("Dockerfile");
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1]);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toBe("node:24-slim");
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it("CI runs the README's test command on Node.js 24", () => {
    const readme = read("README.md");
    const testCommand = /^(npm ci && npm test)\b/m.exec(readme)?.[1];
    expect(testCommand).toBe("npm ci && npm test");
    const ci = read(".ci/run");
    expect(ci).toMatch(/^NODE_MAJOR=24$/m);
    expect(ci).toMatch(/npm install [^\n]*"node@\$NODE_MAJOR"/);
    const commands = ci.split("\n").filter((line) => line.trim() && !line.trim().startsWith("#"));
    expect(commands.at(-1)).toBe(testCommand);
  });
});
