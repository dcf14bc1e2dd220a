/** A seeded PRNG: numbers in [0, 1), the same seed giving the same sequence. */
export function seeded(seed: number): () => number;
