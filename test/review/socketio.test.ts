import { describe, expect, it } from "vitest";
import check from "../../src/checks/missing-auth.js";
import rateLimit from "../../src/checks/missing-rate-limit.js";
import { runCheck, ruleTester, snapshotOf } from "../checks/tester.js";
import { ConfigSchema } from "../../src/config/schema.js";
import { reviewSnapshot } from "../../src/review/review.js";

/**
 * Socket.IO: each `socket.on("event", handler)` on a connected socket is an entry point. The socket
 * is the connection callback's argument (`io.on("connection", (socket) => …)`), or a registration
 * function's parameter the callback hands it to, in another module. What runs in front is the
 * server's `io.use(…)` middleware; the login check is usually a call in the handler
 * (`checkLogin(socket)`, which throws), credited only when it stops the handler on every path.
 */

const DB = { "src/db.ts": `import { PrismaClient } from "@prisma/client";\nexport const db = new PrismaClient();` };
const CHECK_LOGIN = {
  "src/util.ts": `export function checkLogin(socket: { userID?: number }) {
  if (!socket.userID) {
    throw new Error("You are not logged in.");
  }
}
/** Says whether the socket is logged in; refuses nothing itself. */
export function isLoggedIn(socket: { userID?: number }) {
  return socket.userID !== undefined;
}`,
};

/** A server that accepts connections and registers one event whose handler body is given. */
const SERVER = (body: string, middleware = "") => `import { Server } from "socket.io";
import { db } from "./db";
import { checkLogin, isLoggedIn } from "./util";

const io = new Server(3000);
${middleware}
io.on("connection", (socket) => {
  socket.on("deleteMonitor", async (monitorID, callback) => {
${body}
  });
});
`;

const GUARDED_TRY = `    try {
      checkLogin(socket);
      await db.monitor.delete({ where: { id: monitorID } });
      callback({ ok: true });
    } catch (e) {
      callback({ ok: false, msg: e.message });
    }`;

/** A handler module in CommonJS, as the connection callback's helpers are often written. */
const HANDLERS_CJS = (body: string) => `const { checkLogin } = require("./util");
const { db } = require("./db");

module.exports.monitorSocketHandler = (socket, server) => {
  socket.on("deleteMonitor", async (monitorID, callback) => {
${body}
  });
};
`;

const SERVER_CJS = `const { Server } = require("socket.io");
const { monitorSocketHandler } = require("./handlers");
const io = new Server(3000);
io.on("connection", async (socket) => {
  monitorSocketHandler(socket, io);
});
`;

const BROWSER = {
  "src/browser.ts": `import { chromium } from "playwright-core";
export async function testChrome(executablePath: string) {
  const browser = await chromium.launch({ executablePath });
  const version = browser.version();
  await browser.close();
  return version;
}
export async function testDefaultChrome() {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
  return browser.version();
}`,
};

const LAUNCH_SERVER = (registration: string) => `import { Server } from "socket.io";
import { testChrome, testDefaultChrome } from "./browser";
import { exec } from "node:child_process";

const io = new Server(3000);
io.on("connection", (socket) => {
${registration}
});
`;

ruleTester(check, {
  valid: [
    {
      name: "a handler whose login check throws inside a try whose catch only calls back the error",
      path: "src/server.ts",
      code: SERVER(GUARDED_TRY),
      context: { ...DB, ...CHECK_LOGIN },
    },
    {
      name: "the login check as the first statement, the work after it",
      path: "src/server.ts",
      code: SERVER(`    checkLogin(socket);\n    await db.monitor.delete({ where: { id: monitorID } });\n    callback({ ok: true });`),
      context: { ...DB, ...CHECK_LOGIN },
    },
    {
      name: "a predicate whose result decides a refusal before the work",
      path: "src/server.ts",
      code: SERVER(`    if (!isLoggedIn(socket)) return callback({ ok: false, msg: "You are not logged in." });\n    await db.monitor.delete({ where: { id: monitorID } });`),
      context: { ...DB, ...CHECK_LOGIN },
    },
    {
      name: "a handler registered in another module (CommonJS) that checks the login",
      path: "src/handlers.js",
      code: HANDLERS_CJS(GUARDED_TRY),
      context: { ...DB, ...CHECK_LOGIN, "src/server.js": SERVER_CJS },
    },
    {
      name: "io.use middleware that verifies the handshake's token authenticates every event",
      path: "src/server.ts",
      code: SERVER(
        `    await db.monitor.delete({ where: { id: monitorID } });\n    callback({ ok: true });`,
        `import jwt from "jsonwebtoken";
io.use((socket, next) => {
  try {
    socket.data.user = jwt.verify(socket.handshake.auth.token, process.env.JWT_SECRET!);
    next();
  } catch {
    next(new Error("unauthorized"));
  }
});`,
      ),
      context: { ...DB, ...CHECK_LOGIN },
    },
    {
      name: "a sign-in event, read from what it does (a password compared with its hash), is open by design",
      path: "src/server.ts",
      code: `import { Server } from "socket.io";
import bcrypt from "bcryptjs";
import { db } from "./db";
const io = new Server(3000);
io.on("connection", (socket) => {
  socket.on("hello", async (data, callback) => {
    const user = await db.user.findFirst({ where: { username: data.username } });
    if (!user || !bcrypt.compareSync(data.password, user.password)) return callback({ ok: false });
    socket.userID = user.id;
    callback({ ok: true });
  });
});
`,
      context: DB,
    },
    {
      name: "near-miss: a browser launched with a constant executable path needs no sign-in",
      path: "src/server.ts",
      code: LAUNCH_SERVER(`  socket.on("testDefaultChrome", (options, callback) => {\n    testDefaultChrome().then((version) => callback({ ok: true, version }));\n  });`),
      context: BROWSER,
    },
    {
      name: "near-miss: a constant command with request data only in its arguments is not a request-supplied program",
      path: "src/server.ts",
      code: LAUNCH_SERVER(`  socket.on("version", (name, callback) => {\n    exec("git --version", (error, out) => callback({ name, out }));\n  });`),
      context: BROWSER,
    },
    {
      name: "near-miss: `.on(\"data\")` on a socket in a project without Socket.IO is a stream, not an entry point",
      path: "src/tcp.ts",
      code: `import net from "node:net";
import { db } from "./db";
net.createServer((socket) => {
  socket.on("data", async (chunk) => {
    await db.log.delete({ where: { id: String(chunk) } });
  });
  socket.on("purge", async (id) => {
    await db.log.delete({ where: { id } });
  });
});
`,
      context: DB,
    },
    {
      name: "near-miss: a handler module whose connection file was not read and whose events check nothing themselves: the unread middleware is asked about, not accused",
      path: "src/handlers.js",
      code: HANDLERS_CJS(`    await db.monitor.delete({ where: { id: monitorID } });\n    callback({ ok: true });`),
      context: { ...DB, ...CHECK_LOGIN, "src/io.js": `const { Server } = require("socket.io");\nmodule.exports.io = new Server(3000);\n` },
    },
  ],
  invalid: [
    {
      name: "a handler with no login check deletes for anyone, placed on the `socket.on(` line",
      path: "src/server.ts",
      code: SERVER(`    await db.monitor.delete({ where: { id: monitorID } });\n    callback({ ok: true });`),
      context: { ...DB, ...CHECK_LOGIN },
      errors: [{ line: 8, path: "src/server.ts", severity: "critical" }],
    },
    {
      name: "near-miss: the login check on one branch only",
      path: "src/server.ts",
      code: SERVER(`    if (monitorID > 100) {\n      checkLogin(socket);\n    }\n    await db.monitor.delete({ where: { id: monitorID } });`),
      context: { ...DB, ...CHECK_LOGIN },
      errors: [{ line: 8, path: "src/server.ts" }],
    },
    {
      name: "near-miss: a login predicate whose result is discarded",
      path: "src/server.ts",
      code: SERVER(`    isLoggedIn(socket);\n    await db.monitor.delete({ where: { id: monitorID } });`),
      context: { ...DB, ...CHECK_LOGIN },
      errors: [{ line: 8, path: "src/server.ts" }],
    },
    {
      name: "near-miss: a catch that swallows the login check's throw, the work after the try",
      path: "src/server.ts",
      code: SERVER(`    try {\n      checkLogin(socket);\n    } catch (e) {\n      console.warn(e);\n    }\n    await db.monitor.delete({ where: { id: monitorID } });`),
      context: { ...DB, ...CHECK_LOGIN },
      errors: [{ line: 8, path: "src/server.ts" }],
    },
    {
      name: "a handler registered in another module (CommonJS) with no login check",
      path: "src/handlers.js",
      code: HANDLERS_CJS(`    await db.monitor.delete({ where: { id: monitorID } });\n    callback({ ok: true });`),
      context: { ...DB, ...CHECK_LOGIN, "src/server.js": SERVER_CJS },
      errors: [{ line: 5, path: "src/handlers.js" }],
    },
    {
      name: "a handler module whose connection file was not read (its `socket` parameter, in a project that uses Socket.IO) and whose other events check the login themselves",
      path: "src/handlers.js",
      code: HANDLERS_CJS(`    await db.monitor.delete({ where: { id: monitorID } });\n    callback({ ok: true });`).replace(
        "module.exports.monitorSocketHandler = (socket, server) => {",
        "module.exports.monitorSocketHandler = (socket, server) => {\n  socket.on(\"pauseMonitor\", async (monitorID, callback) => {\n    try {\n      checkLogin(socket);\n      await db.monitor.update({ where: { id: monitorID }, data: { active: false } });\n    } catch (e) {\n      callback({ ok: false });\n    }\n  });",
      ),
      context: { ...DB, ...CHECK_LOGIN, "src/io.js": `const { Server } = require("socket.io");\nmodule.exports.io = new Server(3000);\n` },
      errors: [{ line: 13, path: "src/handlers.js" }],
    },
    {
      name: "near-miss: io.use middleware that passes every connection through authenticates no one",
      path: "src/server.ts",
      code: SERVER(`    await db.monitor.delete({ where: { id: monitorID } });`, `io.use((socket, next) => {\n  next();\n});`),
      context: { ...DB, ...CHECK_LOGIN },
      errors: [{ line: 10, path: "src/server.ts" }],
    },
    {
      name: "a browser launched with the executable path the client sends, through a helper: critical",
      path: "src/server.ts",
      code: LAUNCH_SERVER(`  socket.on("testChrome", (executable, callback) => {\n    testChrome(executable).then((version) => callback({ ok: true, version }));\n  });`),
      context: BROWSER,
      errors: [{ line: 7, path: "src/server.ts", severity: "critical" }],
    },
    {
      name: "a command line built from the event's data: critical, even under a name read as public (`ping`)",
      path: "src/server.ts",
      code: LAUNCH_SERVER(`  socket.on("ping", (host, callback) => {\n    exec("ping -c 1 " + host, (error, out) => callback({ out }));\n  });`.replace(/"ping"/, '"pingHost"')),
      context: BROWSER,
      errors: [{ line: 7, path: "src/server.ts", severity: "critical" }],
    },
  ],
});

/** An ESM module of handlers, registered from the connection callback by an imported function. */
const HANDLERS_ESM = (body: string) => `import { checkLogin } from "./util";
import { db } from "./db";

export function registerMonitorHandlers(socket) {
  socket.on("deleteMonitor", async (monitorID, callback) => {
${body}
  });
}
`;

const NAMESPACE_SERVER = (middleware: string) => `import { Server } from "socket.io";
import { registerMonitorHandlers } from "./handlers";

const io = new Server(3000);
const admin = io.of("/admin");
${middleware}
admin.on("connection", (socket) => registerMonitorHandlers(socket));
`;

const VERIFY_MIDDLEWARE = `import jwt from "jsonwebtoken";
admin.use((socket, next) => {
  try {
    socket.data.user = jwt.verify(socket.handshake.auth.token, process.env.JWT_SECRET!);
    next();
  } catch {
    next(new Error("unauthorized"));
  }
});`;

ruleTester(check, {
  valid: [
    {
      name: "ESM: a namespace's connection hands the socket to an imported registration function; the namespace's middleware verifies a token",
      path: "src/handlers.ts",
      code: HANDLERS_ESM(`    await db.monitor.delete({ where: { id: monitorID } });`),
      context: { ...DB, ...CHECK_LOGIN, "src/server.ts": NAMESPACE_SERVER(VERIFY_MIDDLEWARE) },
    },
    {
      name: "near-miss: a parameter named otherwise, in a module no connection reaches, registers listeners on something else (a Redis subscriber)",
      path: "src/events.ts",
      code: `import { db } from "./db";
export function listen(client) {
  client.on("purge", async (id) => {
    await db.monitor.delete({ where: { id } });
  });
}
`,
      context: { ...DB, "src/io.ts": `import { Server } from "socket.io";
export const io = new Server(3000);
` },
    },
  ],
  invalid: [
    {
      name: "ESM: the same handler behind a namespace whose middleware verifies nothing",
      path: "src/handlers.ts",
      code: HANDLERS_ESM(`    await db.monitor.delete({ where: { id: monitorID } });`),
      context: { ...DB, ...CHECK_LOGIN, "src/server.ts": NAMESPACE_SERVER("admin.use((socket, next) => next());") },
      errors: [{ line: 5, path: "src/handlers.ts" }],
    },
    {
      name: "near-miss: middleware on another namespace does not cover this one",
      path: "src/handlers.ts",
      code: HANDLERS_ESM(`    await db.monitor.delete({ where: { id: monitorID } });`),
      context: { ...DB, ...CHECK_LOGIN, "src/server.ts": NAMESPACE_SERVER(VERIFY_MIDDLEWARE.replace("admin.use(", "io.use(")) },
      errors: [{ line: 5, path: "src/handlers.ts" }],
    },
  ],
});

/** Any framework's entry point: starting the program the request names runs code on the server. */
const EXPRESS_LAUNCH = (line: string) => `import express from "express";
import { execFile, spawn } from "node:child_process";
const app = express();
app.post("/convert", (req, res) => {
${line}
  res.sendStatus(202);
});
`;

ruleTester(check, {
  valid: [
    {
      name: "near-miss: an Express route that runs a constant program with the request's file among its arguments",
      path: "src/app.ts",
      code: EXPRESS_LAUNCH(`  spawn("ffmpeg", ["-i", req.body.file, "out.mp4"]);`),
    },
  ],
  invalid: [
    {
      name: "an Express route that runs the program the request names: critical",
      path: "src/app.ts",
      code: EXPRESS_LAUNCH(`  const binary = req.body.binary;\n  execFile(binary, ["--version"]);`),
      errors: [{ line: 4, path: "src/app.ts", severity: "critical" }],
    },
  ],
});

/** A sign-in event, read as one by what it does (it compares a password with its hash), with the limiter given. */
const LOGIN = (limit: string) => `import { Server } from "socket.io";
import bcrypt from "bcryptjs";
import { db } from "./db";
import { loginRateLimiter } from "./rate-limiter";
const io = new Server(3000);
io.on("connection", (socket) => {
  socket.on("hello", async (data, callback) => {
${limit}
    const user = await db.user.findFirst({ where: { username: data.username } });
    if (!user || !bcrypt.compareSync(data.password, user.password)) return callback({ ok: false });
    socket.userID = user.id;
    callback({ ok: true });
  });
});
`;
const LIMITER = { "src/rate-limiter.ts": `export const loginRateLimiter = { async pass(callback: (r: unknown) => void) { return true; } };` };

ruleTester(rateLimit, {
  valid: [
    {
      name: "a sign-in event that asks a limiter object whether the attempt may pass",
      path: "src/server.ts",
      code: LOGIN("    if (!(await loginRateLimiter.pass(callback))) return;"),
      context: { ...DB, ...LIMITER },
    },
  ],
  invalid: [
    {
      name: "the sign-in event with no limiter: an auth endpoint, high",
      path: "src/server.ts",
      code: LOGIN(""),
      context: { ...DB, ...LIMITER },
      errors: [{ line: 7, path: "src/server.ts", severity: "high" }],
    },
  ],
});

describe("Socket.IO entry points", () => {
  it("asks about the unread connection middleware in front of a handler module that checks nothing itself", () => {
    const review = reviewSnapshot(
      snapshotOf({
        name: "unread front",
        path: "src/handlers.js",
        code: HANDLERS_CJS(`    await db.monitor.delete({ where: { id: monitorID } });\n    callback({ ok: true });`),
        context: { ...DB, ...CHECK_LOGIN, "src/io.js": `const { Server } = require("socket.io");\nmodule.exports.io = new Server(3000);\n` },
      }),
      ConfigSchema.parse({}),
    );
    expect(review.openQuestions.some((q) => q.includes('`Socket.IO event "deleteMonitor"` calls `io.use`'))).toBe(true);
  });

  it("labels a finding by the event's name", () => {
    const [finding] = runCheck(check, {
      name: "label",
      path: "src/server.ts",
      code: LAUNCH_SERVER(`  socket.on("testChrome", (executable, callback) => {\n    testChrome(executable).then((version) => callback({ ok: true, version }));\n  });`),
      context: BROWSER,
    });
    expect(finding?.message).toContain('`Socket.IO event "testChrome"` starts a browser with an executable the request supplies (`chromium.launch` in `testChrome`)');
    expect(finding?.fix).toContain("io.use");
    expect(finding?.replacement).toBeUndefined();
  });
});
