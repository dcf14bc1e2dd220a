/**
 * Context files: unchanged files at the PR's head that put guards in front of the PR's routes (a
 * Next.js `middleware.ts`, SvelteKit's `src/hooks.server.ts`, Nuxt server middleware). A PR that
 * adds a route rarely touches them, yet whether the route is authenticated depends on them: the
 * loaders read them (within the same limits) and the engine analyses them for their guards only.
 * Nothing is reported on them and they add nothing to the data classification.
 */

/** Most context files one review reads (a Nuxt app's whole `server/middleware/` is listed at most to this). */
export const MAX_CONTEXT_FILES = 20;

export interface ContextWanted {
  /** Exact paths to read when the PR does not change them. */
  files: string[];
  /** Folders whose direct script files to read (Nuxt's `server/middleware/`). */
  folders: string[];
}

const SCRIPT = /\.(ts|js|mjs)$/;
const NEXT_ROUTE = /^(src\/)?(app|pages)\//;
const SVELTEKIT_ROUTE = /^src\/routes\//;
const NUXT_ROUTE = /^server\/(api|routes)\//;

/** The guard files a PR's routes depend on, by the frameworks its changed paths belong to (repository root only). */
export function contextWanted(paths: readonly string[]): ContextWanted {
  const changed = new Set(paths);
  const files: string[] = [];
  const folders: string[] = [];
  const want = (...candidates: string[]) => files.push(...candidates.filter((candidate) => !changed.has(candidate)));
  if (paths.some((p) => NEXT_ROUTE.test(p) && SCRIPT.test(p.replace(/x$/, "")))) want("middleware.ts", "middleware.js", "src/middleware.ts", "src/middleware.js");
  if (paths.some((p) => SVELTEKIT_ROUTE.test(p))) want("src/hooks.server.ts", "src/hooks.server.js");
  if (paths.some((p) => NUXT_ROUTE.test(p))) folders.push("server/middleware");
  return { files, folders };
}

/** Whether a path at the head is one the PR's routes depend on (for loaders that list the whole tree). */
export function isWantedContext(path: string, wanted: ContextWanted): boolean {
  if (wanted.files.includes(path)) return true;
  return wanted.folders.some((folder) => path.startsWith(`${folder}/`) && !path.slice(folder.length + 1).includes("/") && SCRIPT.test(path));
}
