import { globMatcher } from "../config/globs.js";
import { DEFAULT_EXCLUDES, type Config } from "../config/schema.js";
import type { SnapshotFile } from "../snapshot.js";
import { languageOf, type Language } from "./analysis/parse.js";
import { EMPTY_LAYOUT, importedSpecifiers, resolveImport, type ModuleLayout } from "./module-layout.js";
import type { NotAnalysedFile } from "./types.js";

/** Which of the PR's files the engine analyses, and why each other one is not. */

export interface ScopedFile {
  file: SnapshotFile;
  language: Language;
  text: string;
}

export interface Scope {
  analyse: ScopedFile[];
  notAnalysed: NotAnalysedFile[];
  /** Source files the review would read that the PR deletes. */
  removed: string[];
}

/**
 * A loader's reasons for leaving out a source file's content that make the review incomplete: limits
 * (`too large`, `over the limit of N files`), and content read as binary (one NUL byte is enough for
 * that, so it cannot be a way to slip code past the review).
 */
const LIMIT_SKIP = /^(too large|larger than|over the limit|content not available|binary)/;

/**
 * A file-based router's route module is a deployed endpoint whatever its folder is called: a
 * `pages/api/seed.ts` or an `app/api/test/route.ts` left in the code answers requests in production.
 */
const ROUTE_MODULE =
  /(^|\/)(app\/(.+\/)?route\.(ts|tsx|js|jsx|mjs)|pages\/api\/.+\.(ts|tsx|js|jsx|mjs)|src\/routes\/(.+\/)?\+(server|page\.server|layout\.server)\.(ts|js)|server\/(api|routes)\/.+\.(ts|js|mjs)|app\/routes\/.+\.(ts|tsx|js|jsx))$/;
/** The default exclusions that still apply to route modules: test files by name, and build output. */
const ROUTE_MODULE_DEFAULT_EXCLUDES = ["**/*.test.*", "**/*.spec.*", "**/__tests__/**", "**/__mocks__/**", "**/*.d.ts", "**/*.min.js", "**/*.generated.*", "**/node_modules/**", "**/.next/**", "**/dist/**", "**/build/**"];

/**
 * Paths decide which files are reviewed, never what is read to understand them: a file the paths
 * leave out (a test, a fixture, a script, generated code, or a path outside `paths.include`) that
 * the reviewed code imports, directly or through another such file, is read as context, so a
 * route cannot hide what it does by calling into `scripts/` or `generated/`. Its own code is not
 * reviewed. `layout` resolves the imports' aliases (the snapshot's, when the loader read one).
 */
export function scopeFiles(files: readonly SnapshotFile[], config: Config, layout: ModuleLayout = EMPTY_LAYOUT): Scope {
  const excludes = [...(config.paths.useDefaultExcludes ? DEFAULT_EXCLUDES : []), ...config.paths.exclude];
  const routeExcludes = [...(config.paths.useDefaultExcludes ? ROUTE_MODULE_DEFAULT_EXCLUDES : []), ...config.paths.exclude];
  const isExcludedFile = excludes.length > 0 ? globMatcher(excludes) : () => false;
  const isExcludedRoute = routeExcludes.length > 0 ? globMatcher(routeExcludes) : () => false;
  // A folder named `test`, `scripts` or `seeds` does not take a route out of the review.
  const isExcluded = (path: string) => (ROUTE_MODULE.test(path) ? isExcludedRoute(path) : isExcludedFile(path));
  const isIncluded = config.paths.include.length > 0 ? globMatcher(config.paths.include) : () => true;
  const analyse: ScopedFile[] = [];
  const notAnalysed: NotAnalysedFile[] = [];
  const removed: string[] = [];
  /** Files the paths leave out that can be read: context if the reviewed code imports them. */
  const outOfScope = new Map<string, ScopedFile>();
  const readable = (file: SnapshotFile): ScopedFile | undefined => {
    const language = languageOf(file.path);
    if (!language || file.content === undefined || Buffer.byteLength(file.content, "utf8") > config.limits.maxFileBytes) return undefined;
    return { file: file.context ? file : { ...file, context: true }, language, text: file.content };
  };

  for (const file of files) {
    if (file.context) {
      // Not the PR's own: read when it can be, silently left out otherwise, and outside the file cap.
      const scoped = readable(file);
      if (scoped && isIncluded(file.path) && !isExcluded(file.path)) analyse.push(scoped);
      else if (scoped) outOfScope.set(file.path, scoped);
      continue;
    }
    const language = languageOf(file.path);
    if (file.status === "removed") {
      if (language && isIncluded(file.path) && !isExcluded(file.path)) removed.push(file.path);
      continue;
    }
    if (!isIncluded(file.path)) {
      const scoped = readable(file);
      if (scoped) outOfScope.set(file.path, scoped);
      continue;
    }
    if (isExcluded(file.path)) {
      if (language) notAnalysed.push({ path: file.path, reason: "skipped: test, fixture, script or generated file (paths.exclude)", outOfScope: true });
      const scoped = readable(file);
      if (scoped) outOfScope.set(file.path, scoped);
      continue;
    }
    if (!language) {
      notAnalysed.push({ path: file.path, reason: "not analysed: unsupported language", outOfScope: true });
      continue;
    }
    if (file.content === undefined) {
      const reason = file.skipReason ?? "content not available";
      notAnalysed.push({ path: file.path, reason: `not analysed: ${reason}`, ...(LIMIT_SKIP.test(reason) ? { limit: true } : {}) });
      continue;
    }
    if (Buffer.byteLength(file.content, "utf8") > config.limits.maxFileBytes) {
      notAnalysed.push({ path: file.path, reason: `not analysed: larger than ${config.limits.maxFileBytes} bytes (limits.maxFileBytes)`, limit: true });
      continue;
    }
    if (analyse.length >= config.limits.maxFiles) {
      notAnalysed.push({ path: file.path, reason: `not analysed: past ${config.limits.maxFiles} files (limits.maxFiles)`, limit: true });
      continue;
    }
    analyse.push({ file, language, text: file.content });
  }
  if (outOfScope.size > 0) analyse.push(...importedOutOfScope(analyse, outOfScope, new Set(files.map((file) => file.path)), layout));
  return { analyse, notAnalysed, removed };
}

/** The out-of-scope files `from` imports, and those they import in turn, as context. */
function importedOutOfScope(from: readonly ScopedFile[], outOfScope: ReadonlyMap<string, ScopedFile>, paths: ReadonlySet<string>, layout: ModuleLayout): ScopedFile[] {
  const added: ScopedFile[] = [];
  const seen = new Set<string>();
  let frontier = from;
  while (frontier.length > 0) {
    const next: ScopedFile[] = [];
    for (const { file, language, text } of frontier) {
      if (language !== "ts" && language !== "js") continue;
      for (const specifier of specifiersOf(text)) {
        const target = resolveImport(file.path, specifier, layout, (path) => paths.has(path));
        const scoped = target === undefined || seen.has(target) ? undefined : outOfScope.get(target);
        if (!scoped) continue;
        seen.add(target!);
        added.push(scoped);
        next.push(scoped);
      }
    }
    frontier = next;
  }
  return added;
}

function specifiersOf(text: string): string[] {
  try {
    return importedSpecifiers(text);
  } catch {
    return [];
  }
}
