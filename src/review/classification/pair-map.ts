/**
 * A map keyed by two strings that behaves exactly like a `Map` keyed by `${first}\0${second}`,
 * without building (and hashing) that joined string on every lookup: evidence repeats the same
 * few names and owners thousands of times, and the strings it holds keep their hashes.
 *
 * Entries are grouped by the second part (an owner: a file has few), then by the first (a name).
 * A joined key reads back as the text after its last NUL and the text before it, so a second part
 * that itself holds a NUL is split the same way: `("a\0b", "c")` and `("a", "b\0c")` are one key,
 * as their joined strings are.
 */
export class PairMap<V> {
  private readonly bySecond = new Map<string, Map<string, V>>();

  get(first: string, second: string): V | undefined {
    // (`indexOf` first: it is far cheaper than `lastIndexOf`, and a NUL is all but unheard of.)
    if (second.indexOf("\0") !== -1) {
      const nul = second.lastIndexOf("\0");
      return this.get(`${first}\0${second.slice(0, nul)}`, second.slice(nul + 1));
    }
    return this.bySecond.get(second)?.get(first);
  }

  set(first: string, second: string, value: V): void {
    if (second.indexOf("\0") !== -1) {
      const nul = second.lastIndexOf("\0");
      this.set(`${first}\0${second.slice(0, nul)}`, second.slice(nul + 1), value);
      return;
    }
    let inner = this.bySecond.get(second);
    if (!inner) {
      inner = new Map();
      this.bySecond.set(second, inner);
    }
    inner.set(first, value);
  }
}
