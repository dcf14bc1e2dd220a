/**
 * Loggers: what writes to the logs. A call is a log call when it is a log method of a logger
 * (console, a logger package's instance or one derived from it), a callable logger instance
 * (`const log = debug("app:auth"); log(…)`), or a project function that forwards its arguments
 * to one (see `Semantics.loggedArgs`).
 */

/** Methods that write a log line. */
export const LOG_METHODS: ReadonlySet<string> = new Set(["log", "info", "warn", "warning", "error", "debug", "trace", "fatal", "verbose", "silly", "notice", "crit", "alert", "emerg"]);

/** Packages whose instances, children and members log. */
export const LOGGER_PACKAGES: ReadonlySet<string> = new Set([
  "pino", "winston", "bunyan", "loglevel", "consola", "signale", "log4js", "tslog", "roarr", "@logtail/node", "pino-http", "hono-pino", "next-logger", "@axiomhq/js", "npmlog", "electron-log",
]);

/**
 * Packages whose factory returns a function that is itself the logger: `debug("app:auth")`
 * returns `log`, and `log("login %s", email)` writes a line (as does `log.extend("db")(…)`).
 */
export const CALLABLE_LOGGER_PACKAGES: ReadonlySet<string> = new Set(["debug"]);

/** Receivers named as loggers (`logger.info`, `authLog.warn`, `this.log.error`). */
export const LOGGER_RECEIVER_PATTERN = /^(console|log|logger|_log|_logger|.*Logger|.*Log|audit)$/;

/**
 * Calls that make a logger, or derive one from another: `pino()`, `winston.createLogger()`,
 * `logger.child({ module })`, `consola.withTag("auth")`, tslog's `getSubLogger()`, log4js'
 * `getLogger()`, signale's `scope()`, debug's `extend()`. A log method of their result logs.
 */
export const LOGGER_FACTORY_PATTERN = /^(pino|winston|createLogger|bunyan|getLogger|getSubLogger|child|withTag|withScope|withDefaults|createConsola|scope|extend)$/;

/** Project modules named as the project's logger (`@/lib/logger`, `../utils/log.js`). */
export const LOGGER_MODULE_PATTERN = /(^|\/)(log|logger|logging)(\.[jt]s)?$/;

/**
 * Names of project functions whose job is logging (`logInfo`, `logError`, `auditLog`, `debugLog`,
 * `writeLog`): given a logger call of their arguments, they are log helpers even when they do
 * more (format, enrich, send to a vendor).
 */
export const LOG_HELPER_NAME = /^(_?log|debug|trace)([A-Z_]|$)|(Log|Logger|_log)$/;

/** Calls a pure logging helper may make besides logging: formatting and reading the clock. */
export const FORMATTING_CALLS: ReadonlySet<string> = new Set([
  "stringify", "format", "inspect", "toISOString", "toString", "toJSON", "toLocaleString", "toFixed", "getTime", "now", "join", "map", "filter",
  "slice", "replace", "replaceAll", "trim", "padStart", "padEnd", "toUpperCase", "toLowerCase", "keys", "entries", "values", "assign", "String",
  "Number", "Date", "isArray", "includes", "startsWith", "push", "concat", "split", "getEnv", "isDev", "isProduction", "isDebug",
]);
