import { describe, expect, it } from 'vitest';
import { splitBody } from './chunks.js';

/** Runs the pieces in order with a scratch array, as the compiler's wrapper does. */
function runPieces(pieces: readonly string[], slots: number, y: Float64Array, out: Float64Array): void {
  const w = new Float64Array(slots);
  for (const b of pieces) (new Function('y', 'out', 'w', `"use strict";\n${b}`) as (y: Float64Array, o: Float64Array, w: Float64Array) => void)(y, out, w);
}

describe('splitBody', () => {
  const body = [
    'const a0 = Math.exp(y[0]) * 1e-5;',
    'const a1 = a0 + a0 * y[1];',
    'const d1_0 = a1 / (1 + a0);',
    'out[0] = a1 + d1_0;',
    'out[1] = Math.max(a0, 2.5e3) - d1_0;',
  ].join('\n');

  it('leaves a body below the limit whole', () => {
    expect(splitBody(body, 'w', body.length)).toBeNull();
  });

  it('turns declarations into scratch slots and uses into loads, never touching property names or numbers', () => {
    const split = splitBody(body, 'w', 10, 40)!;
    expect(split.slots).toBe(3);
    expect(split.pieces.length).toBeGreaterThan(1);
    const all = split.pieces.join('\n');
    expect(all).toContain('w[0] = Math.exp(y[0]) * 1e-5;');
    expect(all).toContain('w[1] = w[0] + w[0] * y[1];');
    expect(all).toContain('out[1] = Math.max(w[0], 2.5e3) - w[2];');
    expect(all).not.toMatch(/\bconst\b/);
  });

  it('computes what the whole body computes', () => {
    const y = Float64Array.from([0.3, -1.2]);
    const whole = new Float64Array(2);
    (new Function('y', 'out', `"use strict";\n${body}`) as (y: Float64Array, o: Float64Array) => void)(y, whole);
    for (const pieceChars of [1, 30, 1000]) {
      const split = splitBody(body, 'w', 0, pieceChars)!;
      const out = new Float64Array(2);
      runPieces(split.pieces, split.slots, y, out);
      expect(Array.from(out)).toEqual(Array.from(whole));
    }
  });
});
