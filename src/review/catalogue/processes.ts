/**
 * APIs that start a program on the server: Node's `child_process`, the process helpers built on it,
 * and browser automation that launches a browser binary. Each entry names its package, the member
 * called, and where the program (or the command line) is given: an argument's index, or an option
 * of the options object at that index (`chromium.launch({ executablePath })`). Whoever controls that
 * value runs code on the server. Matched through import resolution (`node:child_process` and
 * `child_process` alike).
 */

export interface ProcessLaunchApi {
  package: string;
  /** The member called (`exec`), or `()` for the package's export called itself (`spawn(cmd)` of `cross-spawn`). */
  name: string;
  /** The argument that holds the program or command line. */
  arg: number;
  /** The option of that argument that names the program, when it is an options object. */
  option?: string;
  /** What the value is, for messages. */
  what: "command" | "executable" | "module";
}

const CHILD_PROCESS: ProcessLaunchApi[] = [
  { package: "child_process", name: "exec", arg: 0, what: "command" },
  { package: "child_process", name: "execSync", arg: 0, what: "command" },
  { package: "child_process", name: "spawn", arg: 0, what: "executable" },
  { package: "child_process", name: "spawnSync", arg: 0, what: "executable" },
  { package: "child_process", name: "execFile", arg: 0, what: "executable" },
  { package: "child_process", name: "execFileSync", arg: 0, what: "executable" },
  { package: "child_process", name: "fork", arg: 0, what: "module" },
];

const BROWSERS = ["playwright", "playwright-core", "@playwright/test", "puppeteer", "puppeteer-core"].flatMap((pkg): ProcessLaunchApi[] => [
  { package: pkg, name: "launch", arg: 0, option: "executablePath", what: "executable" },
  { package: pkg, name: "launchServer", arg: 0, option: "executablePath", what: "executable" },
  { package: pkg, name: "launchPersistentContext", arg: 1, option: "executablePath", what: "executable" },
]);

const HELPERS: ProcessLaunchApi[] = [
  { package: "execa", name: "execa", arg: 0, what: "executable" },
  { package: "execa", name: "execaSync", arg: 0, what: "executable" },
  { package: "execa", name: "execaCommand", arg: 0, what: "command" },
  { package: "execa", name: "execaCommandSync", arg: 0, what: "command" },
  { package: "cross-spawn", name: "()", arg: 0, what: "executable" },
  { package: "cross-spawn", name: "sync", arg: 0, what: "executable" },
  { package: "shelljs", name: "exec", arg: 0, what: "command" },
];

export const PROCESS_LAUNCH_APIS: readonly ProcessLaunchApi[] = [...CHILD_PROCESS, ...BROWSERS, ...HELPERS];

/**
 * The catalogue entry for a resolved call: the package it was imported from (`node:` stripped) and
 * its member path (`()` steps dropped, so `require("child_process").exec` and a destructured `exec`
 * read alike). Undefined when the call launches nothing the catalogue knows.
 */
export function processLaunchApi(module: string, path: readonly string[]): ProcessLaunchApi | undefined {
  const pkg = module.replace(/^node:/, "");
  const members = path.filter((p) => p !== "()");
  const last = members.at(-1) ?? "()";
  return PROCESS_LAUNCH_APIS.find((api) => api.package === pkg && (api.name === last || (api.name === "()" && members.length === 0) || (last === "default" && api.name === "()" && members.length === 1)));
}
