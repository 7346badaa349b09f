/**
 * Did-you-mean hints for misspelled keys and names.
 */

/** Edit distance (insertions, deletions, substitutions, and transpositions of neighbours). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  // Three rows suffice for the optimal-string-alignment variant.
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/**
 * The closest of `candidates` to `word`, if close enough to be a plausible typo: a
 * case-insensitive match, or an edit distance of at most max(1, ⌊length/3⌋) (at most 3).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    const d = levenshtein(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  return bestD <= limit ? best : undefined;
}

/** A hint sentence: "did you mean 'x'?" or, for short lists, the allowed values. */
export function hintFor(word: string, candidates: readonly string[]): string | undefined {
  const c = closest(word, candidates);
  if (c !== undefined) return `did you mean '${c}'?`;
  if (candidates.length > 0 && candidates.length <= 12) return `expected one of: ${candidates.map((x) => `'${x}'`).join(', ')}`;
  return undefined;
}
