/**
 * A small element tree over fast-xml-parser's ordered output (`preserveOrder: true`, so the
 * order of MathML arguments is kept), with the 1-based line of every element for error messages.
 *
 * Attributes live in a `Map` (never a plain object keyed by names from the file), so ids such as
 * `__proto__` or `constructor` are ordinary strings here.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../errors.js';

export interface XmlElement {
  /** Qualified tag name as written (`listOfSpecies`, `fbc:objective`). */
  readonly name: string;
  /** Local part of the name (after any `prefix:`). */
  readonly local: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Concatenated text content directly inside the element (trimmed). */
  readonly text: string;
  /** 1-based line of the start tag (0 when unknown). */
  readonly line: number;
}

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** Parses XML text into a tree; malformed XML is an {@link InputError} with the line and column. */
export function parseXml(text: string, file?: string): XmlElement {
  const check = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (check !== true) {
    const { msg, line, col } = check.err;
    throw new InputError(`malformed XML: ${msg}`, file, undefined, line, col);
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (index: number | undefined): number => {
    if (index === undefined) return 0;
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    captureMetaData: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    commentPropName: false,
  } as ConstructorParameters<typeof XMLParser>[0]);
  let raw: unknown;
  try {
    raw = parser.parse(text);
  } catch (e) {
    // The parser refuses element and attribute names such as __proto__ or constructor.
    const msg = (e as Error).message.replace(/^\[SECURITY\]\s*/, '');
    throw new InputError(/SECURITY/.test((e as Error).message) ? `refused XML name: ${msg}` : `malformed XML: ${msg}`, file);
  }
  const roots = convertList(raw, lineOf);
  if (roots.length === 0) throw new InputError('the file contains no XML element', file);
  return roots[0];
}

type RawNode = Record<string | symbol, unknown>;

function convertList(list: unknown, lineOf: (i: number | undefined) => number): XmlElement[] {
  const out: XmlElement[] = [];
  if (!Array.isArray(list)) return out;
  for (const node of list as RawNode[]) {
    const el = convertNode(node, lineOf);
    if (el) out.push(el);
  }
  return out;
}

function convertNode(node: RawNode, lineOf: (i: number | undefined) => number): XmlElement | undefined {
  let name: string | undefined;
  for (const k of Object.keys(node)) {
    if (k !== ':@' && k !== '#text') {
      name = k;
      break;
    }
  }
  if (name === undefined) return undefined;
  const attrs = new Map<string, string>();
  const rawAttrs = Object.prototype.hasOwnProperty.call(node, ':@') ? (node[':@'] as Record<string, unknown>) : undefined;
  if (rawAttrs) for (const k of Object.keys(rawAttrs)) attrs.set(k, String(rawAttrs[k]));
  const kids = node[name];
  const children: XmlElement[] = [];
  const texts: string[] = [];
  if (Array.isArray(kids)) {
    for (const kid of kids as RawNode[]) {
      if (Object.prototype.hasOwnProperty.call(kid, '#text')) {
        texts.push(String(kid['#text']));
        continue;
      }
      const c = convertNode(kid, lineOf);
      if (c) children.push(c);
    }
  }
  const meta = node[META] as { startIndex?: number } | undefined;
  const colon = name.indexOf(':');
  return {
    name, local: colon >= 0 ? name.slice(colon + 1) : name,
    attrs, children, text: texts.join(' ').trim(), line: lineOf(meta?.startIndex),
  };
}

/** First child with the given local name. */
export const child = (el: XmlElement, local: string): XmlElement | undefined => el.children.find((c) => c.name === local);

/** Children of `<listOfX>` named `x` (empty when the list is absent). */
export function listOf(el: XmlElement, listName: string, itemName: string): XmlElement[] {
  const l = child(el, listName);
  return l ? l.children.filter((c) => c.name === itemName) : [];
}
