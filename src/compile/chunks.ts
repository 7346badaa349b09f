/**
 * Splitting of large generated functions. V8 does not optimise a function whose bytecode
 * exceeds about 60 KB (`--max-optimized-bytecode-size`): such a function stays in the baseline
 * tier, runs about ten times slower and boxes every intermediate number, which makes garbage
 * on every call. The analytic Jacobian of the CA1 cell with its signalling is such a function.
 * A body above the limit is therefore cut into consecutive pieces, each a function of its own;
 * the named intermediates that the compiler declares (`const a12 = …;`, `const d3_4 = …;`) are
 * kept in a scratch array that every piece receives, so later pieces read what earlier ones
 * computed.
 */

/** A body split into pieces, and the size of the scratch array they share. */
export interface SplitBody {
  readonly pieces: readonly string[];
  readonly slots: number;
}

/**
 * Bodies up to this many characters are left whole. Larger ones are split even below the limit
 * of optimisation: smaller pieces are optimised sooner (an optimising compile takes time
 * superlinear in the size of the function), and until then a piece runs in the baseline tier at
 * about a tenth of the speed. The rhs of the CA1 cell with signalling (about 19 000 characters)
 * reaches full speed after about 1 000 instead of 5 000 calls when split; at full speed the
 * pieces are as fast as the whole.
 */
export const SPLIT_ABOVE = 8_000;
/** Target size of one piece (characters). */
export const PIECE_CHARS = 4_000;

const DECLARATION = /^const ([A-Za-z_$][\w$]*) = (.*)$/;
/** An identifier that is not a property name and not part of a number or of another name. */
const IDENTIFIER = /(?<![\w$.])[A-Za-z_$][\w$]*/g;

/**
 * Splits a generated body of one statement per line into pieces of about `pieceChars`
 * characters, with every `const NAME = EXPR;` turned into a store to `scratch[slot]` and every
 * later use of NAME into a load from it. Returns null when the body is short enough to stay
 * whole.
 * @param scratch the name of the scratch-array parameter the pieces receive
 */
export function splitBody(body: string, scratch: string, splitAbove = SPLIT_ABOVE, pieceChars = PIECE_CHARS): SplitBody | null {
  if (body.length <= splitAbove) return null;
  const lines = body.split('\n').filter((l) => l.trim() !== '');
  const slot = new Map<string, number>();
  const ref = (name: string): string => {
    const k = slot.get(name);
    return k === undefined ? name : `${scratch}[${k}]`;
  };
  const statements = lines.map((line) => {
    const m = DECLARATION.exec(line);
    if (m === null) return line.replace(IDENTIFIER, ref);
    const value = m[2].replace(IDENTIFIER, ref);
    if (slot.has(m[1])) throw new Error(`internal: '${m[1]}' is declared twice in a generated body`);
    slot.set(m[1], slot.size);
    return `${scratch}[${slot.get(m[1])}] = ${value}`;
  });
  const pieces: string[] = [];
  let piece: string[] = [];
  let size = 0;
  for (const s of statements) {
    piece.push(s);
    size += s.length + 1;
    if (size >= pieceChars) {
      pieces.push(piece.join('\n'));
      piece = [];
      size = 0;
    }
  }
  if (piece.length > 0) pieces.push(piece.join('\n'));
  return { pieces, slots: slot.size };
}
