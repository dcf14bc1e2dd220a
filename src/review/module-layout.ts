/**
 * How a repository's import specifiers map to its files: relative paths, `tsconfig`/`jsconfig` path
 * aliases (`@/lib/auth`, `~/server/db`), and the packages of a monorepo's workspaces (`@acme/db`).
 * Pure: the loaders read the config files and hand their text here; the engine and the context
 * loader resolve with the same layout, so what the loader fetched is what the engine finds.
 */
import { ts } from "ts-morph";

/** A `paths` entry of one config: `@/*` → `["./src/*"]`, targets already joined to the config's base. */
export interface PathAlias {
  /** The text before the `*` (the whole pattern when it has none). */
  prefix: string;
  /** The text after the `*`; undefined for an exact (star-less) pattern. */
  suffix?: string;
  /** Repository-relative targets, each with at most one `*`. */
  targets: string[];
}

/** What applies to files under `dir` (the folder of the tsconfig/jsconfig that declares it). */
export interface ModuleScope {
  dir: string;
  aliases: PathAlias[];
  /** `baseUrl`, repository-relative: bare specifiers may name a file below it. */
  baseUrl?: string;
}

/** Plain data, carried in the snapshot. */
export interface ModuleLayout {
  scopes: ModuleScope[];
  /** Workspace package name → its folder and the entry its package.json declares. */
  packages: Record<string, { dir: string; entry?: string }>;
}

export const EMPTY_LAYOUT: ModuleLayout = { scopes: [], packages: {} };

/** Extensions tried after a specifier, in TypeScript's order; a `.js` written for ESM is tried as `.ts` too. */
const EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"];
const INDEX = ["/index.ts", "/index.tsx", "/index.js", "/index.jsx", "/index.mjs"];
/** A config file the layout is built from. */
export const CONFIG_FILE = /(^|\/)(tsconfig(\.[\w.-]+)?\.json|jsconfig\.json|package\.json)$/;
/** Folders that never hold the project's own modules. */
const NEVER_READ = /(^|\/)(node_modules|\.git|\.next|dist|build|out|coverage)\//;
/** Most aliases and packages one layout keeps: a hostile config cannot make resolution slow. */
const MAX_ALIASES = 200;
const MAX_PACKAGES = 500;
/** `extends` followed at most this deep. */
const MAX_EXTENDS = 3;

/** `a/./b/../c` → `a/c`; undefined when the path climbs out of the repository root or is absolute. */
export function normaliseRepoPath(path: string): string | undefined {
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path) || path.includes("\0") || path.includes("\\")) return undefined;
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

function dirnameOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

function join(dir: string, rest: string): string | undefined {
  return normaliseRepoPath(dir ? `${dir}/${rest}` : rest);
}

/** Which of a listing's files the layout needs: tsconfig/jsconfig and package.json files outside build output. */
export function layoutConfigPaths(paths: Iterable<string>, max = 300): string[] {
  const found: string[] = [];
  for (const path of paths) {
    if (CONFIG_FILE.test(path) && !NEVER_READ.test(path)) found.push(path);
  }
  // Shallow first: a bounded read keeps the root and the apps' own configs.
  return found.sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b)).slice(0, max);
}

interface RawTsConfig {
  extends?: unknown;
  compilerOptions?: { baseUrl?: unknown; paths?: unknown };
}

function parseJsonc(path: string, text: string): unknown {
  const parsed = ts.parseConfigFileTextToJson(path, text);
  return parsed.error ? undefined : (parsed.config as unknown);
}

/**
 * The layout from the config files' texts (path → text). Unparseable or hostile configs are left
 * out; `extends` is followed within the files given, at most three deep.
 */
export function buildModuleLayout(configs: ReadonlyMap<string, string>): ModuleLayout {
  const scopes: ModuleScope[] = [];
  const packages: ModuleLayout["packages"] = {};
  const tsconfigs = new Map<string, RawTsConfig>();
  for (const [path, text] of configs) {
    if (/(^|\/)package\.json$/.test(path)) {
      const pkg = parseJsonc(path, text) as { name?: unknown; main?: unknown; module?: unknown; types?: unknown; source?: unknown; exports?: unknown } | undefined;
      if (!pkg || typeof pkg.name !== "string" || Object.keys(packages).length >= MAX_PACKAGES) continue;
      const dir = dirnameOf(path);
      // The repository's own root package is not imported by name.
      if (dir === "") continue;
      const entry = packageEntry(pkg);
      packages[pkg.name] = entry ? { dir, entry } : { dir };
    } else {
      const raw = parseJsonc(path, text);
      if (raw && typeof raw === "object") tsconfigs.set(path, raw as RawTsConfig);
    }
  }
  let aliasCount = 0;
  for (const [path] of [...tsconfigs].sort(([a], [b]) => a.localeCompare(b))) {
    // The nearest config that declares `paths` or `baseUrl`, through `extends`: its options and the folder they are relative to.
    let baseUrl: string | undefined;
    let paths: Record<string, unknown> | undefined;
    let pathsDir = dirnameOf(path);
    let current: string | undefined = path;
    for (let depth = 0; current && depth <= MAX_EXTENDS; depth++) {
      const config = tsconfigs.get(current);
      if (!config) break;
      const options = config.compilerOptions;
      const dir = dirnameOf(current);
      if (baseUrl === undefined && typeof options?.baseUrl === "string") baseUrl = join(dir, options.baseUrl);
      if (paths === undefined && options?.paths && typeof options.paths === "object") {
        paths = options.paths as Record<string, unknown>;
        pathsDir = dir;
      }
      current = typeof config.extends === "string" && config.extends.startsWith(".") ? join(dir, config.extends.endsWith(".json") ? config.extends : `${config.extends}.json`) : undefined;
    }
    const scope: ModuleScope = { dir: dirnameOf(path), aliases: [] };
    if (baseUrl !== undefined) scope.baseUrl = baseUrl;
    // `paths` targets are relative to `baseUrl` when one is set, else to the config that declares them.
    const targetBase = baseUrl ?? pathsDir;
    for (const [pattern, targets] of Object.entries(paths ?? {})) {
      if (aliasCount >= MAX_ALIASES || !Array.isArray(targets) || pattern.length > 200 || pattern.split("*").length > 2) continue;
      const star = pattern.indexOf("*");
      const resolved = targets.filter((t): t is string => typeof t === "string" && t.length <= 300 && t.split("*").length <= 2).flatMap((t) => join(targetBase, t) ?? []).slice(0, 8);
      if (resolved.length === 0) continue;
      scope.aliases.push(star < 0 ? { prefix: pattern, targets: resolved } : { prefix: pattern.slice(0, star), suffix: pattern.slice(star + 1), targets: resolved });
      aliasCount++;
    }
    if (scope.aliases.length > 0 || scope.baseUrl !== undefined) scopes.push(scope);
  }
  // Deepest folder first: the nearest config applies.
  scopes.sort((a, b) => b.dir.length - a.dir.length);
  return { scopes, packages };
}

/** A package's source entry: `exports["."]`, `source`, `module`, `main` or `types`, as a repository path below its folder. */
function packageEntry(pkg: { main?: unknown; module?: unknown; types?: unknown; source?: unknown; exports?: unknown }): string | undefined {
  let exported: unknown = pkg.exports;
  if (exported && typeof exported === "object" && !Array.isArray(exported) && "." in exported) exported = (exported as Record<string, unknown>)["."];
  for (let depth = 0; depth < 4 && exported && typeof exported === "object" && !Array.isArray(exported); depth++) {
    const conditions = exported as Record<string, unknown>;
    exported = conditions.source ?? conditions.import ?? conditions.default ?? conditions.types ?? conditions.require ?? Object.values(conditions)[0];
  }
  for (const candidate of [pkg.source, exported, pkg.module, pkg.main, pkg.types]) {
    if (typeof candidate === "string" && candidate.length <= 300) return normaliseRepoPath(candidate);
  }
  return undefined;
}

/**
 * The paths an import may name, most likely first, before extensions are tried (see
 * {@link expandCandidates}). Empty for a package outside the repository. Never a path outside it.
 */
export function specifierBases(from: string, specifier: string, layout: ModuleLayout): string[] {
  if (specifier.length > 500 || specifier.includes("\0")) return [];
  if (specifier.startsWith(".")) {
    const joined = join(dirnameOf(from), specifier);
    return joined === undefined ? [] : [joined];
  }
  if (specifier.startsWith("/") || /^[a-z][\w+.-]*:/i.test(specifier)) return [];
  const bases: string[] = [];
  for (const scope of layout.scopes) {
    if (scope.dir !== "" && !from.startsWith(`${scope.dir}/`)) continue;
    let longest = -1;
    let matched: string[] = [];
    for (const alias of scope.aliases) {
      if (alias.suffix === undefined ? specifier !== alias.prefix : !(specifier.startsWith(alias.prefix) && specifier.endsWith(alias.suffix) && specifier.length >= alias.prefix.length + alias.suffix.length)) continue;
      if (alias.prefix.length <= longest) continue;
      longest = alias.prefix.length;
      const star = alias.suffix === undefined ? "" : specifier.slice(alias.prefix.length, specifier.length - alias.suffix.length);
      matched = alias.targets.flatMap((target) => normaliseRepoPath(target.replace("*", star)) ?? []);
    }
    bases.push(...matched);
    if (scope.baseUrl !== undefined) {
      const below = join(scope.baseUrl, specifier);
      if (below !== undefined) bases.push(below);
    }
    // The nearest config with aliases decides, as the compiler's does.
    if (scope.aliases.length > 0) break;
  }
  const pkg = workspacePackage(specifier, layout);
  if (pkg) bases.push(...pkg);
  // Conventional aliases of projects whose config the review could not read.
  if (layout.scopes.length === 0) {
    if (specifier.startsWith("@/") || specifier.startsWith("~/")) {
      const rest = specifier.slice(2);
      for (const prefix of ["", "src/", "app/"]) {
        const joined = join(prefix, rest);
        if (joined !== undefined) bases.push(joined);
      }
    } else if (specifier.startsWith("#")) bases.push(specifier.slice(1), `src/${specifier.slice(1)}`);
  }
  return [...new Set(bases)];
}

/**
 * Whether an import names a module of the repository rather than an installed package: a relative
 * path, a path alias of the config that applies to the importing file (`@server/*`), a workspace
 * package, or (no config read) the conventional `@/`, `~/` and `#` aliases.
 */
export function isRepositorySpecifier(from: string, specifier: string, layout: ModuleLayout): boolean {
  if (specifier.startsWith(".")) return true;
  for (const scope of layout.scopes) {
    if (scope.dir !== "" && !from.startsWith(`${scope.dir}/`)) continue;
    if (scope.aliases.some((alias) => (alias.suffix === undefined ? specifier === alias.prefix : specifier.startsWith(alias.prefix) && specifier.endsWith(alias.suffix)))) return true;
    if (scope.aliases.length > 0) break;
  }
  if (workspacePackage(specifier, layout)) return true;
  return layout.scopes.length === 0 && (specifier.startsWith("@/") || specifier.startsWith("~/") || specifier.startsWith("#"));
}

/** `@acme/db` / `@acme/db/schema` / `utils/x` → the workspace package's entry or the file below its folder. */
function workspacePackage(specifier: string, layout: ModuleLayout): string[] | undefined {
  const parts = specifier.split("/");
  const nameLength = specifier.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, nameLength).join("/");
  const pkg = Object.hasOwn(layout.packages, name) ? layout.packages[name] : undefined;
  if (!pkg) return undefined;
  const rest = parts.slice(nameLength).join("/");
  if (rest) return [join(pkg.dir, `src/${rest}`), join(pkg.dir, rest)].filter((p): p is string => p !== undefined);
  const entries: string[] = [];
  if (pkg.entry) {
    const entry = join(pkg.dir, pkg.entry);
    if (entry !== undefined) {
      // A built entry (`dist/index.js`) stands for its source (`src/index.ts`).
      const source = entry.replace(/\/(dist|build|lib|out)\//, "/src/").replace(/\.d\.ts$/, "");
      entries.push(source, entry.replace(/\.d\.ts$/, ""));
    }
  }
  entries.push(`${pkg.dir}/src/index`, `${pkg.dir}/index`);
  return entries;
}

/** A base path with the extensions and index files tried after it; `x.js` also as `x.ts`. */
export function expandCandidates(base: string): string[] {
  const out: string[] = [];
  const jsExtension = /\.(m|c)?js$/.exec(base);
  if (jsExtension) {
    const stem = base.slice(0, -jsExtension[0].length);
    out.push(base, `${stem}.ts`, `${stem}.tsx`, `${stem}.${jsExtension[1] ?? ""}ts`);
  } else if (/\.(tsx?|jsx|mts|cts)$/.test(base)) out.push(base);
  out.push(...EXTENSIONS.map((ext) => base + ext), ...INDEX.map((index) => base + index));
  return [...new Set(out)];
}

/** The file an import names, given the repository's file list; undefined for a package outside it. */
export function resolveImport(from: string, specifier: string, layout: ModuleLayout, exists: (path: string) => boolean): string | undefined {
  for (const base of specifierBases(from, specifier, layout)) {
    for (const candidate of expandCandidates(base)) if (exists(candidate)) return candidate;
  }
  return undefined;
}

/** The specifiers a script imports, re-exports, requires or imports dynamically (a scan, not a parse). */
export function importedSpecifiers(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return [...new Set(info.importedFiles.map((file) => file.fileName))];
}
