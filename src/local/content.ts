/** The size and binary rules shared by both local loaders, so `scan` and `diff` skip the same files. */

export const DEFAULT_MAX_FILE_BYTES = 1_000_000;

/** How far into a file a NUL byte marks it binary (git looks at the same 8 KB). */
const BINARY_SNIFF_BYTES = 8 * 1024;

export type DecodedContent = { content: string } | { skipReason: string };

export function tooLargeReason(maxFileBytes: number): string {
  return `larger than ${maxFileBytes} bytes`;
}

/** The text of a file, or why it is not reviewed as text: a NUL byte early on, or bytes that are not UTF-8. */
export function decodeTextContent(bytes: Uint8Array): DecodedContent {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { skipReason: "binary" };
  try {
    return { content: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { skipReason: "binary" };
  }
}

/** Runs `task` over `items` with at most `limit` in flight, keeping results in input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
