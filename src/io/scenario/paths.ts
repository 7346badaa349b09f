/**
 * Field paths: how they are printed in messages (`experiments[0].readouts[1].observable`,
 * `parameters["cav13.gbar"]`), how `--set` paths are read, and what a zod schema allows at a
 * path (for did-you-mean hints).
 */
import type * as z from 'zod';

export type PathKey = string | number;
export type FieldPath = readonly PathKey[];

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Prints a path: identifiers joined by '.', indices as [i], other keys as ["key"]. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (IDENT.test(k)) out += out === '' ? k : `.${k}`;
    else out += `[${JSON.stringify(k)}]`;
  }
  return out === '' ? '(top level)' : out;
}

/** A raw segment of a `--set` path: a plain dotted name part, an [index] or a ["quoted key"]. */
export interface RawSegment {
  readonly key: PathKey;
  /** True when written as `[..]` (never joined with neighbours into a dotted key). */
  readonly bracketed: boolean;
}

/** Splits `a.b[0]["c.d"]` into segments. Throws a message string on bad syntax. */
export function splitPath(text: string): RawSegment[] {
  const out: RawSegment[] = [];
  let i = 0;
  const fail = (why: string): never => { throw new Error(`bad field path '${text}' at character ${i + 1}: ${why}`); };
  if (text.length === 0) fail('empty path');
  while (i < text.length) {
    const c = text[i];
    if (c === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) fail("missing ']'");
      const inner = text.slice(i + 1, close);
      if (/^\d+$/.test(inner)) out.push({ key: Number(inner), bracketed: true });
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inner) || /^'[^']*'$/.test(inner)) {
        out.push({ key: inner.startsWith('"') ? (JSON.parse(inner) as string) : inner.slice(1, -1), bracketed: true });
      } else fail('expected a number or a quoted key inside [ ]');
      i = close + 1;
      if (i < text.length && text[i] === '.') i++;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
    if (j === i) fail('empty name');
    out.push({ key: text.slice(i, j), bracketed: false });
    i = j;
    if (i < text.length && text[i] === '.') {
      i++;
      if (i === text.length) fail('path ends with a dot');
    }
  }
  return out;
}

type AnySchema = z.core.$ZodType;
interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
  getter?: () => AnySchema;
}
const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strips optional/default/nullable/pipe/lazy wrappers. */
export function unwrap(s: AnySchema): AnySchema {
  for (let guard = 0; guard < 50; guard++) {
    const d = defOf(s);
    if (d.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type)) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else if (d.type === 'lazy' && d.getter) s = d.getter();
    else return s;
  }
  return s;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The branch of a discriminated union that `data` selects, if any. */
function branch(s: AnySchema, data: unknown): AnySchema | undefined {
  const d = defOf(s);
  if (d.type !== 'union' || !d.options) return undefined;
  if (d.discriminator && isObj(data)) {
    const tag = data[d.discriminator];
    for (const o of d.options) {
      const od = defOf(unwrap(o));
      const lit = od.shape?.[d.discriminator];
      const vals = lit ? (defOf(unwrap(lit)) as unknown as { values?: unknown[] }).values : undefined;
      if (vals?.includes(tag)) return unwrap(o);
    }
  }
  return undefined;
}

/** What kind of value the schema expects at a point. */
export type SchemaNode =
  | { kind: 'object'; keys: readonly string[]; child(key: string): AnySchema | undefined }
  | { kind: 'record'; value: AnySchema }
  | { kind: 'array'; element: AnySchema }
  | { kind: 'union'; discriminator?: string; keys: readonly string[] }
  | { kind: 'leaf' };

/** Describes `schema` (unwrapped), choosing the discriminated-union branch from `data`. */
export function describeSchema(schema: AnySchema, data: unknown): SchemaNode {
  let s = unwrap(schema);
  const b = branch(s, data);
  if (b) s = b;
  const d = defOf(s);
  if (d.type === 'object' && d.shape) {
    const shape = d.shape;
    return { kind: 'object', keys: Object.keys(shape), child: (k) => (Object.prototype.hasOwnProperty.call(shape, k) ? shape[k] : undefined) };
  }
  if (d.type === 'record' && d.valueType) return { kind: 'record', value: d.valueType };
  if (d.type === 'array' && d.element) return { kind: 'array', element: d.element };
  if (d.type === 'union' && d.options) {
    const keys = new Set<string>();
    for (const o of d.options) {
      const od = defOf(unwrap(o));
      if (od.shape) for (const k of Object.keys(od.shape)) keys.add(k);
    }
    return { kind: 'union', ...(d.discriminator ? { discriminator: d.discriminator } : {}), keys: [...keys] };
  }
  return { kind: 'leaf' };
}

/** The schema at `path` inside `schema`, following `data` through unions; undefined if the path leaves the schema. */
export function schemaAt(schema: AnySchema, path: FieldPath, data: unknown): AnySchema | undefined {
  let s: AnySchema = schema;
  let v: unknown = data;
  for (const k of path) {
    const node = describeSchema(s, v);
    if (node.kind === 'object' && typeof k === 'string') {
      const c = node.child(k);
      if (!c) return undefined;
      s = c;
    } else if (node.kind === 'record' && typeof k === 'string') s = node.value;
    else if (node.kind === 'array' && typeof k === 'number') s = node.element;
    else return undefined;
    v = isObj(v) || Array.isArray(v) ? (v as Record<PathKey, unknown>)[k] : undefined;
  }
  return s;
}

/**
 * Resolves raw `--set` segments against the schema: inside a record, plain segments are joined
 * with '.' into one key (`parameters.cav13.gbar` → `parameters`, `cav13.gbar`), using the
 * shortest key after which the rest of the path fits the record's value schema.
 */
export function resolveSetPath(schema: AnySchema, raw: readonly RawSegment[], data: unknown): FieldPath | undefined {
  const walk = (s: AnySchema, i: number, v: unknown): PathKey[] | undefined => {
    if (i === raw.length) return [];
    const node = describeSchema(s, v);
    const seg = raw[i];
    const sub = (k: PathKey): unknown => (isObj(v) || Array.isArray(v) ? (v as Record<PathKey, unknown>)[k] : undefined);
    if (node.kind === 'object' && typeof seg.key === 'string') {
      const c = node.child(seg.key);
      if (!c) return undefined;
      const rest = walk(c, i + 1, sub(seg.key));
      return rest && [seg.key, ...rest];
    }
    if (node.kind === 'array') {
      const idx = typeof seg.key === 'number' ? seg.key : /^\d+$/.test(seg.key) ? Number(seg.key) : undefined;
      if (idx === undefined) return undefined;
      const rest = walk(node.element, i + 1, sub(idx));
      return rest && [idx, ...rest];
    }
    if (node.kind === 'record') {
      if (seg.bracketed) {
        const key = String(seg.key);
        const rest = walk(node.value, i + 1, sub(key));
        return rest && [key, ...rest];
      }
      let j = i;
      const parts: string[] = [];
      while (j < raw.length && !raw[j].bracketed) {
        parts.push(String(raw[j].key));
        j++;
        const key = parts.join('.');
        const rest = walk(node.value, j, sub(key));
        if (rest && (rest.length > 0 || j === raw.length)) return [key, ...rest];
      }
      return undefined;
    }
    return undefined;
  };
  return walk(schema, 0, data);
}
