/**
 * Uniform numbers in [0, 1) that depend only on the keys they are drawn for: the same seed, trial number and
 * parameter name give the same numbers in any process and in any order (FNV-1a over the keys, then mulberry32).
 */
export function uniformStream(...keys: readonly (string | number)[]): () => number {
  const text = keys.join("\u0000");
  let state = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) state = Math.imul(state ^ text.charCodeAt(i), 0x01000193);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
