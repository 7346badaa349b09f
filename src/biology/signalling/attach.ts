/**
 * Adds the signalling to an already built cell model (Model IR), so a cell context needs no
 * knowledge of the signalling: the signalling components are built on their own with the input
 * quantities of the cell declared as placeholders, and the two IRs are merged; every reference
 * to an input then resolves to the cell's own quantity (the names are the same strings).
 */
import { symbolsOf } from '../../math/ast.js';
import { parseExpr } from '../../math/parser.js';
import { ModelBuilder } from '../../model/builder.js';
import type { Model } from '../../model/ir.js';
import { BiologyError } from '../errors.js';
import type { Overrides } from '../params.js';
import { type SignallingInputs, ca1Inputs } from './inputs.js';
import { addSignalling } from './signalling.js';

export interface AttachOptions {
  /** Inputs as formulas over the cell's names (default {@link ca1Inputs}). */
  inputs?: SignallingInputs;
  /** Namespace (default `sig`). */
  ns?: string;
  stages?: number;
  knockouts?: readonly string[];
  /** Overrides of signalling parameters (`sig.camkii.kauto`). */
  overrides?: Overrides;
}

/** Returns `cell` with the signalling added (a new Model; `cell` is not changed). */
export function attachSignalling(cell: Model, o: AttachOptions = {}): Model {
  const inputs = o.inputs ?? ca1Inputs();
  const ns = o.ns ?? 'sig';
  const cellNames = new Set<string>([
    ...cell.states.map((s) => s.name), ...cell.parameters.map((p) => p.name), ...cell.assigned.map((a) => a.name),
  ]);
  if ([...cellNames].some((n) => n === ns || n.startsWith(`${ns}.`))) {
    throw new BiologyError(`the cell already has quantities in namespace '${ns}'`, 'signalling.ns');
  }
  const referenced = new Set<string>();
  for (const [k, f] of Object.entries(inputs)) {
    if (typeof f !== 'string' || f.trim() === '') throw new BiologyError('must be a formula naming the cell quantity', `signalling.inputs.${k}`);
    let e;
    try {
      e = parseExpr(f);
    } catch (err) {
      throw new BiologyError(`cannot read '${f}': ${(err as Error).message}`, `signalling.inputs.${k}`);
    }
    for (const s of symbolsOf(e)) {
      if (s === 'time') continue;
      if (!cellNames.has(s)) throw new BiologyError(`'${s}' is not a quantity of cell model '${cell.name}'`, `signalling.inputs.${k}`);
      referenced.add(s);
    }
  }
  const b = new ModelBuilder(`${cell.name}+signalling`, cell.meta);
  // Placeholders stand for the cell's quantities while the signalling resolves its names.
  for (const name of referenced) b.root.parameter(name, 0, { assumption: 'placeholder for the cell quantity of the same name' });
  addSignalling(b, {
    ns, inputs,
    ...(o.stages !== undefined ? { stages: o.stages } : {}),
    ...(o.knockouts ? { knockouts: o.knockouts } : {}),
    ...(o.overrides ? { overrides: o.overrides } : {}),
  });
  const sig = b.build();
  return {
    name: `${cell.name}+signalling`,
    states: [...cell.states, ...sig.states],
    parameters: [...cell.parameters, ...sig.parameters.filter((p) => !referenced.has(p.name))],
    assigned: [...cell.assigned, ...sig.assigned],
    events: [...cell.events, ...sig.events],
    observables: [...cell.observables, ...sig.observables],
    meta: { ...(cell.meta ?? {}), signalling: ns },
  };
}
