import check from "../../src/checks/admin-client-module-scope.js";
import { ruleTester } from "./tester.js";

ruleTester(check, {
  valid: [
    {
      name: "a factory that builds the client per call",
      path: "lib/supabase/admin.ts",
      code: `import { createClient } from "@supabase/supabase-js";
export function createAdminClient() {
  return createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
}`,
    },
    {
      name: "near-miss: module-scope client with the anon key",
      path: "lib/supabase/client.ts",
      code: `import { createClient } from "@supabase/supabase-js";
export const supabase = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!);`,
    },
    {
      name: "near-miss: a memoised factory keeps the client out of reach until it is called",
      path: "lib/supabase/admin.ts",
      code: `import { createClient, type SupabaseClient } from "@supabase/supabase-js";
let client: SupabaseClient | undefined;
export function getServiceClient() {
  if (!client) client = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  return client;
}`,
    },
    {
      name: "near-miss: firebase client SDK initializeApp is not the admin SDK",
      path: "lib/firebase.ts",
      code: `import { initializeApp } from "firebase/app";
export const app = initializeApp({ apiKey: process.env.NEXT_PUBLIC_FIREBASE_KEY });`,
    },
    {
      name: "the client created inside a guarded function is another rule's business",
      path: "app/admin/actions.ts",
      code: `import { createClient } from "@supabase/supabase-js";
import { requireAdmin } from "@/lib/auth";
export async function ban(id: string) {
  await requireAdmin();
  const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
  return admin.auth.admin.deleteUser(id);
}`,
    },
  ],
  invalid: [
    {
      name: "exported service-role client",
      path: "lib/supabase/admin.ts",
      code: `import { createClient } from "@supabase/supabase-js";
const url = process.env.NEXT_PUBLIC_SUPABASE_URL!;
const serviceRoleKey = process.env.SUPABASE_SERVICE_ROLE_KEY!;
export const supabaseAdmin = createClient(url, serviceRoleKey, {
  auth: { persistSession: false },
});`,
      errors: [
        {
          line: 4,
          messageId: "moduleScope",
          severity: "critical",
          data: { client: "supabaseAdmin" },
          replacement: `export function createSupabaseAdmin() {
  return createClient(url, serviceRoleKey, {
    auth: { persistSession: false },
  });
}`,
        },
      ],
    },
    {
      name: "module-scope call of an admin factory from another file",
      files: {
        "lib/supabase/factory.ts": `import { createClient } from "@supabase/supabase-js";
export function createServiceClient() {
  return createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
}`,
        "lib/jobs/cleanup.ts": `import { createServiceClient } from "../supabase/factory";
const admin = createServiceClient();
export async function cleanup() {
  await admin.from("sessions").delete().lt("expires_at", new Date().toISOString());
}`,
      },
      errors: [{ path: "lib/jobs/cleanup.ts", line: 2, replacement: `function createAdmin() {
  return createServiceClient();
}` }],
    },
    {
      name: "credentialed firebase-admin app at module scope (CommonJS)",
      path: "src/firebase.js",
      code: `const admin = require("firebase-admin");
admin.initializeApp({ credential: admin.credential.cert(JSON.parse(process.env.FIREBASE_SA)) });
module.exports = { db: admin.firestore() };`,
      errors: [{ line: 2 }],
    },
    {
      name: "a pre-existing module-scope client on an unchanged line",
      path: "lib/supabase/admin.ts",
      code: `import { createClient } from "@supabase/supabase-js";
export const supabaseAdmin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
export const TABLE = "profiles";`,
      patches: { "lib/supabase/admin.ts": "@@ -2,0 +3,1 @@\n+export const TABLE = \"profiles\";" },
      errors: [{ line: 2, new: false }],
    },
  ],
});
