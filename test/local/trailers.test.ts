import { describe, expect, it } from "vitest";
import { parseCommitTrailers } from "../../src/snapshot.js";

describe("parseCommitTrailers", () => {
  it.each([
    {
      name: "AI trailers in the last paragraph",
      message: "Add export\n\nWrites the CSV.\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\nGenerated-by: Claude",
      expected: [
        { key: "Co-authored-by", value: "Copilot <175728472+Copilot@users.noreply.github.com>" },
        { key: "Generated-by", value: "Claude" },
      ],
    },
    {
      name: "a continuation line joined to its trailer, as git does",
      message: "Subject\n\nCo-authored-by: Some\n  Bot <bot@example.com>\nAI-Assisted: true",
      expected: [
        { key: "Co-authored-by", value: "Some Bot <bot@example.com>" },
        { key: "AI-Assisted", value: "true" },
      ],
    },
    {
      name: "a continuation line holding a colon stays part of the value",
      message: "Subject\n\nReviewed-by: Ann\n  note: see thread",
      expected: [{ key: "Reviewed-by", value: "Ann note: see thread" }],
    },
    { name: "CRLF line ends", message: "Subject\r\n\r\nGenerated-by: Claude\r\n", expected: [{ key: "Generated-by", value: "Claude" }] },
    { name: "a subject alone is never a trailer", message: "Generated-by: Claude", expected: [] },
    { name: "a prose last paragraph", message: "Subject\n\nFixes the bug.\nGenerated-by: Claude", expected: [] },
  ])("$name", ({ message, expected }) => {
    expect(parseCommitTrailers(message)).toEqual(expected);
  });
});
