import check from "../../src/checks/phi-without-baa.js";
import { ruleTester } from "./tester.js";

ruleTester(check, {
  valid: [
    {
      name: "lab results emailed after a BAA throw guard in the same function",
      path: "lib/email/lab-results.ts",
      code: `import { Resend } from "resend";
const resend = new Resend(process.env.RESEND_API_KEY);
export async function sendLabResult(email: { to: string; testName: string; resultValue: string }) {
  if (process.env.RESEND_BAA_SIGNED !== "true") {
    throw new Error("no BAA");
  }
  await resend.emails.send({ from: "a@b.c", to: email.to, subject: "Results", text: \`\${email.testName}: \${email.resultValue}\` });
}`,
    },
    {
      name: "a configured BAA assertion in the caller",
      config: { functions: { baa: ["ensureVendorAgreement"] } },
      files: {
        "lib/sms.ts": `import twilio from "twilio";
const client = twilio("sid", "token");
export async function textDiagnosis(patient: { phone: string; diagnosis: string }) {
  return client.messages.create({ to: patient.phone, from: "+1", body: \`Diagnosis: \${patient.diagnosis}\` });
}`,
        "app/api/notify/route.ts": `import { ensureVendorAgreement } from "@/lib/compliance";
import { textDiagnosis } from "@/lib/sms";
export async function POST() {
  ensureVendorAgreement("twilio");
  await textDiagnosis({ phone: "+1", diagnosis: "x" });
  return new Response(null);
}`,
      },
    },
    {
      name: "near miss: a password-reset email carries no PHI",
      path: "app/api/auth/forgot-password/route.ts",
      code: `import { Resend } from "resend";
const resend = new Resend(process.env.RESEND_API_KEY);
export async function POST(request: Request) {
  const { email } = await request.json();
  await resend.emails.send({ from: "a@b.c", to: email, subject: "Reset", text: \`Reset link: https://x/reset\` });
  return new Response(null);
}`,
    },
    {
      name: "near miss: an appointment reminder that links to the portal only",
      path: "lib/reminders.ts",
      code: `import twilio from "twilio";
const client = twilio("sid", "token");
export async function remind(patient: { id: string; phone: string }) {
  await client.messages.create({ to: patient.phone, from: "+1", body: "You have a new message in your portal: https://portal.example" });
}`,
    },
  ],
  invalid: [
    {
      name: "Twilio text with diagnoses and medications, helper in another file called with the patient",
      files: {
        "app/api/intake/route.ts": `import { sendIntakeConfirmation } from "@/lib/sms/intake";
import { prisma } from "@/lib/prisma";
export async function POST() {
  const patient = await prisma.patient.create({ data: { userId: "u1" } });
  await sendIntakeConfirmation(patient);
  return new Response(null);
}`,
        "lib/sms/intake.ts": `import twilio from "twilio";
const client = twilio("sid", "token");
function listOrNone(values: string[]) {
  return values.length > 0 ? values.join(", ") : "none";
}
export async function sendIntakeConfirmation(patient: { phone: string; diagnosisCodes: string[]; medications: string[] }) {
  const message = await client.messages.create({
    to: patient.phone,
    from: "+15550000000",
    body: \`Conditions: \${listOrNone(patient.diagnosisCodes)}; medications: \${listOrNone(patient.medications)}\`,
  });
  return message.sid;
}`,
      },
      errors: [
        {
          path: "lib/sms/intake.ts",
          line: 7,
          severity: "critical",
          replacement: `  if (process.env.TWILIO_BAA_SIGNED !== "true") throw new Error("No BAA with Twilio: refusing to send PHI");\n  const message = await client.messages.create({`,
        },
      ],
    },
    {
      name: "a generic mail helper given lab results by its caller (followed one level)",
      files: {
        "lib/mail.ts": `import nodemailer from "nodemailer";
const transport = nodemailer.createTransport({ host: "smtp.example.com" });
export async function sendMail(to: string, text: string) {
  await transport.sendMail({ from: "clinic@example.com", to, subject: "Update", text });
}`,
        "app/api/results/route.ts": `import { sendMail } from "@/lib/mail";
import { prisma } from "@/lib/prisma";
export async function POST() {
  const result = await prisma.labResult.findFirst({ where: { id: "r1" } });
  await sendMail("p@example.com", \`Your lab result: \${result!.labResult}\`);
  return new Response(null);
}`,
      },
      errors: [{ path: "lib/mail.ts", line: 4 }],
    },
    {
      name: "SendGrid email with a diagnosis field from the request",
      code: `import sgMail from "@sendgrid/mail";
export async function POST(request: Request) {
  const { email, diagnosis } = await request.json();
  await sgMail.send({ to: email, from: "care@example.com", subject: "Your visit", text: \`Diagnosis: \${diagnosis}\` });
  return new Response(null);
}`,
      errors: [{ line: 4, replacement: `  if (process.env.SENDGRID_BAA_SIGNED !== "true") throw new Error("No BAA with SendGrid: refusing to send PHI");\n  await sgMail.send({ to: email, from: "care@example.com", subject: "Your visit", text: \`Diagnosis: \${diagnosis}\` });` }],
    },
    {
      name: "a send on an unchanged line is pre-existing",
      code: `import sgMail from "@sendgrid/mail";
export async function POST(request: Request) {
  const { email, diagnosis } = await request.json();
  await sgMail.send({ to: email, from: "care@example.com", text: \`Diagnosis: \${diagnosis}\` });
  return new Response(null);
}
export const added = 1;`,
      patches: { "app/api/example/route.ts": "@@ -6,0 +7,1 @@\n+export const added = 1;" },
      errors: [{ line: 4, new: false }],
    },
  ],
});
