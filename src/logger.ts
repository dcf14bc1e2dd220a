import { pino, type Logger, type LoggerOptions } from "pino";

/**
 * The app's logger, passed to Probot as `log`. Probot logs nothing redacted by default and, at
 * debug, logs outgoing request bodies: redaction here keeps tokens, keys and payloads out of the
 * logs. Our own log lines carry ids and actions only (repo, PR number, head SHA, check run id).
 */
export const REDACTED_PATHS = [
  "token",
  "*.token",
  "*.*.token",
  "privateKey",
  "*.privateKey",
  "secret",
  "*.secret",
  "password",
  "*.password",
  "key",
  "*.key",
  "authorization",
  "*.authorization",
  "*.*.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  "headers.authorization",
  "request.headers.authorization",
  "payload",
  "*.payload",
  "body",
  "*.body",
  "*.*.body",
  "data",
  "*.data",
  "content",
  "*.content",
  "patch",
  "*.patch",
  "diff",
  "*.diff",
];

export interface LoggerSettings {
  level?: string;
  /** Extra pino options (tests pass a destination through `createLogger(settings, stream)`). */
  options?: LoggerOptions;
}

export function createLogger(settings: LoggerSettings = {}, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env.LOG_LEVEL ?? "info",
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    ...settings.options,
  };
  return destination ? pino(options, destination) : pino(options);
}
