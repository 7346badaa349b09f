import { buildCell, CONTEXTS, PRESETS, type CellSpec, type ContextName } from '../biology/contexts.js';
import { SIGNALLING_PARAM_TABLES } from '../biology/signalling/index.js';
import { InputError } from '../io/errors.js';

/**
 * `--context signalling`: the signalling to the nucleus (namespace `sig`), which is not a cell of
 * its own: it runs on the ca1 neuron (and stand-alone with a prescribed Ca²⁺ input), so it is
 * also listed with `--context ca1`.
 */
const SIGNALLING = 'signalling';
const SIGNALLING_NS = 'sig';
/** Components of the signalling that exist only in the stand-alone model. */
const STAND_ALONE_ONLY: Readonly<Record<string, string>> = {
  input: 'only in the stand-alone signalling model (prescribed Ca²⁺ input); on the ca1 neuron these inputs come from the cell',
};

/** Options of `ltcc params`. */
export interface ParamsOptions {
  json?: boolean;
  context?: string;
  preset?: string;
}

interface Row {
  context: string;
  component: string;
  path: string;
  value: number;
  unit: string;
  source?: string;
  assumption?: string;
  bounds?: readonly [number, number];
  description?: string;
}

const SPECS: readonly { label: string; spec: CellSpec }[] = [
  { label: 'heterologous (Cav1.2)', spec: { context: 'heterologous', isoform: 'cav12' } },
  { label: 'heterologous (Cav1.3)', spec: { context: 'heterologous', isoform: 'cav13' } },
  { label: 'ca1', spec: { context: 'ca1' } },
  { label: 'vascular', spec: { context: 'vascular' } },
  { label: 'cardiac (Cav1.2)', spec: { context: 'cardiac' } },
];

/**
 * `ltcc params`: every parameter of the cell models, by context and component, and of the
 * signalling to the nucleus (`sig.<component>.<name>`), with its provenance.
 */
export function paramsCommand(o: ParamsOptions): void {
  if (o.context !== undefined && o.context !== SIGNALLING && !CONTEXTS.includes(o.context as ContextName)) {
    throw new InputError(`unknown context '${o.context}' (expected one of ${[...CONTEXTS, SIGNALLING].join(', ')})`, undefined, '--context');
  }
  if (o.preset !== undefined) {
    if (o.context === undefined) throw new InputError('needs --context (presets belong to a context)', undefined, '--preset');
    if (o.context === SIGNALLING) throw new InputError('the signalling has no presets (it is the same in every ca1 preset)', undefined, '--preset');
    const ok = PRESETS[o.context as ContextName];
    if (!ok.includes(o.preset)) throw new InputError(`unknown preset '${o.preset}' for context '${o.context}' (expected one of ${ok.join(', ')})`, undefined, '--preset');
  }
  const rows: Row[] = [];
  for (const { label, spec } of SPECS) {
    if (o.context !== undefined && spec.context !== o.context) continue;
    const cell = buildCell({ ...spec, ...(o.preset ? { preset: o.preset } : {}) });
    for (const p of cell.model.parameters) {
      if (p.name.startsWith('stim.')) continue;
      rows.push({
        context: `${label}${o.preset ? ` [${o.preset}]` : ''}`, component: p.component ?? '', path: p.name, value: p.value, unit: p.unit ?? '',
        ...(p.provenance?.source ? { source: p.provenance.source } : {}), ...(p.provenance?.assumption ? { assumption: p.provenance.assumption } : {}),
        ...(p.bounds ? { bounds: p.bounds } : {}), ...(p.description ? { description: p.description } : {}),
      });
    }
  }
  if (o.context === undefined || o.context === 'ca1' || o.context === SIGNALLING) {
    for (const [comp, table] of Object.entries(SIGNALLING_PARAM_TABLES)) {
      for (const [name, p] of Object.entries(table)) {
        const description = p.description ?? STAND_ALONE_ONLY[comp];
        rows.push({
          context: SIGNALLING, component: `${SIGNALLING_NS}.${comp}`, path: `${SIGNALLING_NS}.${comp}.${name}`, value: p.value, unit: p.unit,
          ...(p.source ? { source: p.source } : {}), ...(p.assumption ? { assumption: p.assumption } : {}),
          ...(p.bounds ? { bounds: p.bounds } : {}), ...(description ? { description } : {}),
        });
      }
    }
  }
  if (o.json) {
    process.stdout.write(JSON.stringify(rows, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v), 2) + '\n');
    return;
  }
  let ctx = '';
  let comp = '';
  for (const r of rows) {
    if (r.context !== ctx) {
      ctx = r.context;
      comp = '';
      process.stdout.write(`\n== ${ctx} ==\n`);
    }
    if (r.component !== comp) {
      comp = r.component;
      const note = r.context === SIGNALLING ? STAND_ALONE_ONLY[comp.slice(SIGNALLING_NS.length + 1)] : undefined;
      process.stdout.write(`\n[${comp}]${note ? ` (${note})` : ''}\n`);
    }
    const prov = r.source ? `source: ${r.source}` : `ASSUMPTION: ${r.assumption ?? '(none given)'}`;
    process.stdout.write(`  ${r.path.padEnd(22)} ${String(r.value).padStart(10)} ${r.unit.padEnd(12)} ${prov}\n`);
  }
}
