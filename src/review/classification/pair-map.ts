/**
 * A map keyed by a pair of strings, without building (and hashing) a joined string on every lookup:
 * evidence repeats the same few names and owners thousands of times, and the strings it holds keep
 * their hashes. Entries are grouped by the second part (an owner: a file has few), then by the first
 * (a name).
 */
export class PairMap<V> {
  private readonly bySecond = new Map<string, Map<string, V>>();

  get(first: string, second: string): V | undefined {
    return this.bySecond.get(second)?.get(first);
  }

  set(first: string, second: string, value: V): void {
    let inner = this.bySecond.get(second);
    if (!inner) {
      inner = new Map();
      this.bySecond.set(second, inner);
    }
    inner.set(first, value);
  }
}
