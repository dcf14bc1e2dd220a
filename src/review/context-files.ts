/**
 * Context files: unchanged files at the PR's head that put guards in front of the PR's routes (a
 * Next.js `middleware.ts` / `proxy.ts` and the Auth.js config it may take its `auth` from,
 * SvelteKit's `src/hooks.server.ts` and the `+layout.server.ts` files above a route, Nuxt server
 * middleware). A PR that adds a route rarely touches them, yet whether the route is authenticated
 * depends on them: the loaders read them (within the same limits) and the engine analyses them for
 * their guards only. Nothing is reported on them and they add nothing to the data classification.
 */

/** Most context files one review reads (a Nuxt app's whole `server/middleware/` is listed at most to this). */
export const MAX_CONTEXT_FILES = 20;

export interface ContextWanted {
  /** Exact paths to read when the PR does not change them. */
  files: string[];
  /** Folders whose direct script files to read (Nuxt's `server/middleware/`). */
  folders: string[];
}

/** Most app roots (a monorepo's `apps/web/`) whose guard files one review reads. */
const MAX_ROOTS = 5;
/** A server script (what Nitro loads from `server/middleware/`). */
const SCRIPT = /\.(ts|js|mjs)$/;
/** A Next.js module: the route handlers, pages and actions that tell which app a PR touches. */
const NEXT_MODULE = /\.(ts|tsx|js|jsx|mjs)$/;
/** Where an app's routes start below its root (`apps/web/` + `app/…`); the root is the lazy prefix. */
export const NEXT_APP_ROOT = /^((?:[^/]+\/)*?)(?:src\/)?(?:app|pages)\//;
export const SVELTEKIT_APP_ROOT = /^((?:[^/]+\/)*?)src\/routes\//;
export const NUXT_APP_ROOT = /^((?:[^/]+\/)*?)server\/(?:api|routes)\//;
/** A SvelteKit route module: group 1 the routes folder, group 2 the route's folders below it. */
const SVELTEKIT_ROUTE_DIR = /^((?:[^/]+\/)*?src\/routes)((?:\/[^/]+)*)\/\+[^/]+$/;
/** Layout paths asked for at most (two spellings a folder). */
const MAX_LAYOUT_CANDIDATES = 24;

/**
 * The guard files a PR's routes depend on, by the frameworks its changed paths belong to, at the root
 * of each app they are in (the repository's, or a monorepo package's: `apps/web/middleware.ts`).
 */
export function contextWanted(paths: readonly string[]): ContextWanted {
  const changed = new Set(paths);
  const files = new Set<string>();
  const folders = new Set<string>();
  const roots = (pattern: RegExp, modules?: RegExp) => [...new Set(paths.filter((p) => !modules || modules.test(p)).map((p) => pattern.exec(p)?.[1]).filter((root) => root !== undefined))].slice(0, MAX_ROOTS);
  const want = (...candidates: string[]) => candidates.filter((candidate) => !changed.has(candidate)).forEach((candidate) => files.add(candidate));
  // Next.js 16 names the file `proxy.ts`; earlier versions `middleware.ts`.
  // Auth.js v5's middleware is its `auth` export: whether it blocks is its config's `authorized` callback.
  for (const root of roots(NEXT_APP_ROOT, NEXT_MODULE)) for (const dir of ["", "src/"]) for (const name of ["middleware", "proxy", "auth", "auth.config"]) want(`${root}${dir}${name}.ts`, `${root}${dir}${name}.js`);
  for (const root of roots(SVELTEKIT_APP_ROOT)) want(`${root}src/hooks.server.ts`, `${root}src/hooks.server.js`);
  // The layouts above a changed SvelteKit route: a page's `load` that awaits `parent()` is guarded by theirs.
  const layouts = new Set<string>();
  for (const p of paths) {
    const match = SVELTEKIT_ROUTE_DIR.exec(p);
    if (!match) continue;
    for (let dir = match[1]! + match[2]!; layouts.size + 2 <= MAX_LAYOUT_CANDIDATES; dir = dir.slice(0, dir.lastIndexOf("/"))) {
      layouts.add(`${dir}/+layout.server.ts`).add(`${dir}/+layout.server.js`);
      if (dir === match[1]) break;
    }
  }
  want(...layouts);
  for (const root of roots(NUXT_APP_ROOT)) folders.add(`${root}server/middleware`);
  return { files: [...files], folders: [...folders] };
}

/** Whether a path at the head is one the PR's routes depend on (for loaders that list the whole tree). */
export function isWantedContext(path: string, wanted: ContextWanted): boolean {
  if (wanted.files.includes(path)) return true;
  return wanted.folders.some((folder) => path.startsWith(`${folder}/`) && !path.slice(folder.length + 1).includes("/") && SCRIPT.test(path));
}
