import { RE2JS } from "re2js";

/**
 * Path globs from the config (`paths.include`, `paths.exclude`, `publicRoutes`), validated and
 * matched in time linear in the path. A config is written by whoever controls the repository's
 * default branch (or the owner's `.github` repository): a backtracking matcher lets one glob such as
 * `+(a*|*a)` or `*a*a*a*a*b` hold a review for minutes on a short path, so globs are translated to
 * RE2 syntax and run on RE2JS, whose automaton never backtracks.
 *
 * The syntax: `*` (within a path segment), `**` (any number of segments, as a whole segment), `?`,
 * `[...]` classes (`[!...]` negates), `{a,b}` alternatives, and the extglobs `@(a|b)`, `?(a|b)`,
 * `*(a|b)`, `+(a|b)`, one level deep. Refused, each with a problem naming why: a glob longer than
 * {@link MAX_GLOB_LENGTH}, nested extglobs, negations (`!(...)` and a leading `!`: list what to skip
 * in `paths.exclude`). As in bash, `[!a]` is any character but `a`. Parentheses not opened by an extglob are literal, so a Next.js route group
 * such as `app/(shop)/**` means the folder `(shop)`.
 */

/** Longest glob accepted, in characters. */
export const MAX_GLOB_LENGTH = 256;
/** Most `{...}` groups inside one another. */
const MAX_BRACE_DEPTH = 5;

export class GlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GlobError";
  }
}

const EXTGLOB = /^[@?*+!]\($/;
const POSIX_CLASSES = new Set(["alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit"]);

function literal(char: string): string {
  return /^[A-Za-z0-9_/\- ]$/.test(char) ? char : RE2JS.quote(char);
}

/** Index of the `close` that ends the group opened just before `start`, skipping escapes and classes; -1 if none. */
function groupEnd(glob: string, start: number, open: string, close: string): number {
  let depth = 0;
  for (let i = start; i < glob.length; i++) {
    const char = glob[i];
    if (char === "\\") {
      i++;
    } else if (char === "[") {
      const end = classEnd(glob, i);
      if (end > 0) i = end;
    } else if (char === open) {
      depth++;
    } else if (char === close) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Splits a group's body on top-level separators (`,` in braces, `|` in extglobs). */
function splitTopLevel(body: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === "\\") {
      current += char + (body[i + 1] ?? "");
      i++;
      continue;
    }
    if (char === "[") {
      const end = classEnd(body, i);
      if (end > 0) {
        current += body.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (char === "{" || char === "(") depth++;
    else if ((char === "}" || char === ")") && depth > 0) depth--;
    if (char === separator && depth === 0) {
      parts.push(current);
      current = "";
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts;
}

/** Index of the `]` closing the class opened at `start`, or -1 (then `[` is literal). */
function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === "!" || glob[i] === "^") i++;
  if (glob[i] === "]") i++;
  for (; i < glob.length; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "[" && glob[i + 1] === ":") {
      const end = glob.indexOf(":]", i + 2);
      if (end > 0) i = end + 1;
    } else if (glob[i] === "]") return i;
  }
  return -1;
}

function translateClass(body: string): string {
  let i = 0;
  let negated = false;
  if (body[0] === "!" || body[0] === "^") {
    negated = true;
    i = 1;
  }
  let out = "";
  for (; i < body.length; i++) {
    const char = body[i]!;
    if (char === "\\" && i + 1 < body.length) {
      out += RE2JS.quote(body[++i]!);
    } else if (char === "[" && body[i + 1] === ":") {
      const end = body.indexOf(":]", i + 2);
      const name = body.slice(i + 2, end);
      if (!POSIX_CLASSES.has(name)) throw new GlobError(`unknown character class [:${name}:]`);
      out += `[:${name}:]`;
      i = end + 1;
    } else if (char === "-" && out !== "" && i + 1 < body.length) {
      out += "-";
    } else {
      out += /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/.test(char) ? `\\${char}` : char;
    }
  }
  // A class never matches the segment separator.
  return negated ? `[^/${out}]` : `(?:[${out}])`;
}

interface Place {
  /** Inside an extglob's parentheses: another extglob there is refused. */
  inExtglob: boolean;
  braceDepth: number;
}

function translatePart(glob: string, place: Place): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    const next = glob[i + 1];
    if (char === "\\") {
      out += i + 1 < glob.length ? literal(glob[++i]!) : literal("\\");
      continue;
    }
    if (next === "(" && EXTGLOB.test(char + next)) {
      const end = groupEnd(glob, i + 2, "(", ")");
      if (end > 0) {
        if (char === "!") throw new GlobError("negated extglobs !(...) are not supported: list the paths to skip in paths.exclude");
        if (place.inExtglob) throw new GlobError("nested extglobs are not supported");
        const branches = splitTopLevel(glob.slice(i + 2, end), "|").map((branch) => translatePart(branch, { ...place, inExtglob: true }));
        const quantifier = char === "@" ? "" : char;
        out += `(?:${branches.join("|")})${quantifier}`;
        i = end;
        continue;
      }
    }
    if (char === "*") {
      let run = 1;
      while (glob[i + run] === "*") run++;
      const before = i === 0 ? "" : glob[i - 1];
      const after = glob[i + run];
      const wholeSegment = run >= 2 && (before === "" || before === "/") && (after === undefined || after === "/");
      if (wholeSegment && place.braceDepth === 0 && !place.inExtglob) {
        if (after === "/") {
          out += "(?:[^/]*/)*";
          i += run; // the `/` after `**` is part of it
        } else if (out.endsWith("/")) {
          // `dir/**` matches `dir` itself and everything under it.
          out = `${out.slice(0, -1)}(?:/.*)?`;
          i += run - 1;
        } else {
          out += ".*";
          i += run - 1;
        }
      } else if (wholeSegment) {
        out += ".*";
        i += run - 1;
      } else {
        out += "[^/]*";
        i += run - 1;
      }
      continue;
    }
    if (char === "?") {
      out += "[^/]";
      continue;
    }
    if (char === "[") {
      const end = classEnd(glob, i);
      if (end > 0) {
        out += translateClass(glob.slice(i + 1, end));
        i = end;
        continue;
      }
    }
    if (char === "{") {
      const end = groupEnd(glob, i + 1, "{", "}");
      const branches = end > 0 ? splitTopLevel(glob.slice(i + 1, end), ",") : [];
      if (branches.length > 1) {
        if (place.braceDepth >= MAX_BRACE_DEPTH) throw new GlobError(`more than ${MAX_BRACE_DEPTH} {...} groups inside one another`);
        out += `(?:${branches.map((branch) => translatePart(branch, { ...place, braceDepth: place.braceDepth + 1 })).join("|")})`;
        i = end;
        continue;
      }
    }
    out += literal(char);
  }
  return out;
}

/** The glob as an anchored RE2 expression; throws a GlobError saying why a glob is refused. */
export function globToRe2(glob: string): string {
  if (glob.length === 0) throw new GlobError("empty glob");
  if (glob.length > MAX_GLOB_LENGTH) throw new GlobError(`longer than ${MAX_GLOB_LENGTH} characters`);
  if (glob.startsWith("!") && !glob.startsWith("!(")) throw new GlobError("negated globs (a leading !) are not supported: list the paths to skip in paths.exclude");
  const body = translatePart(glob.startsWith("./") ? glob.slice(2) : glob, { inExtglob: false, braceDepth: 0 });
  return `^(?:${body})$`;
}

function compile(source: string): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch {
    throw new GlobError("not a valid glob");
  }
}

/** Why a glob is refused, or undefined when it is accepted. */
export function globProblem(glob: string): string | undefined {
  try {
    compile(globToRe2(glob));
    return undefined;
  } catch (error) {
    if (error instanceof GlobError) return error.message;
    throw error;
  }
}

export type PathMatcher = (path: string) => boolean;

const matchers = new Map<string, PathMatcher>();
const MATCHER_CACHE_SIZE = 64;

/**
 * One matcher for a list of globs: true when any of them matches the whole path, or is the path
 * itself (so `app/api/[id]/route.ts` names that file, as it does for picomatch). Every glob must be
 * valid (the config schema checks them); an invalid one throws a GlobError. Matchers are cached by
 * their globs, so a caller may ask for one per file or route.
 */
export function globMatcher(globs: readonly string[]): PathMatcher {
  if (globs.length === 0) return () => false;
  const key = globs.join("\0");
  const cached = matchers.get(key);
  if (cached) return cached;
  const regex = compile(globs.map((glob) => globToRe2(glob)).join("|"));
  const exact = new Set(globs);
  const matcher: PathMatcher = (path) => exact.has(path) || regex.matches(path);
  if (matchers.size >= MATCHER_CACHE_SIZE) matchers.delete(matchers.keys().next().value!);
  matchers.set(key, matcher);
  return matcher;
}
