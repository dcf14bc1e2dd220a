/**
 * mulberry32: a small, fast, seedable PRNG, the same seed giving the same sequence. Shared by the
 * benchmark's generated PRs and the scale tests' generated inputs; good enough to pick templates,
 * names and faults, never for anything secret.
 */
export function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
