import check from "../../src/checks/unbounded-llm-call.js";
import { ruleTester } from "./tester.js";

ruleTester(check, {
  valid: [
    {
      name: "OpenAI chat completion with max_tokens",
      code: `import OpenAI from "openai";
const openai = new OpenAI();
export async function POST() {
  const r = await openai.chat.completions.create({ model: "gpt-4o-mini", max_tokens: 400, messages: [] });
  return Response.json(r);
}`,
    },
    {
      name: "AI SDK streamText with maxOutputTokens in a shared options object",
      code: `import { streamText } from "ai";
import { openai } from "@ai-sdk/openai";
const settings = { maxOutputTokens: 800 };
export async function POST() {
  return streamText({ model: openai("gpt-4o"), ...settings, messages: [] }).toTextStreamResponse();
}`,
    },
    {
      name: "a per-customer budget check before the call",
      code: `import Anthropic from "@anthropic-ai/sdk";
import { assertWithinBudget } from "@/lib/billing";
const anthropic = new Anthropic();
export async function POST(req: Request) {
  await assertWithinBudget("org_1", 2000);
  return Response.json(await anthropic.messages.create({ model: "claude-sonnet-4", messages: [] } as any));
}`,
    },
    {
      name: "maxDuration and an input cap are not the model call",
      code: `export const maxDuration = 60;
export async function POST(req: Request) {
  const body = await req.text();
  return new Response(body.slice(0, 8000));
}`,
    },
  ],
  invalid: [
    {
      name: "OpenAI call without max_tokens, with a replacement adding it",
      code: `import OpenAI from "openai";
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
export async function POST() {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [],
  });
  return Response.json(completion);
}`,
      errors: [
        {
          line: 4,
          messageId: "unbounded",
          data: { provider: "OpenAI", call: "openai.chat.completions.create" },
          replacement: "  const completion = await openai.chat.completions.create({\n    max_tokens: 1024,",
        },
      ],
    },
    {
      name: "AI SDK streamText with only maxDuration",
      code: `import { streamText } from "ai";
import { openai } from "@ai-sdk/openai";
export const maxDuration = 60;
export async function POST() {
  const result = streamText({
    model: openai("gpt-4o"),
    messages: [],
  });
  return result.toDataStreamResponse();
}`,
      errors: [{ line: 5, data: { provider: "AI SDK" }, replacement: "  const result = streamText({\n    maxOutputTokens: 1024," }],
    },
    {
      name: "an uncapped call on an unchanged line is pre-existing",
      code: `import { generateText } from "ai";
export async function summarize(model: any, prompt: string) {
  return generateText({ model, prompt });
}
export const added = 1;`,
      patches: { "app/api/example/route.ts": "@@ -4,0 +5,1 @@\n+export const added = 1;" },
      errors: [{ line: 3, new: false }],
    },
  ],
});
