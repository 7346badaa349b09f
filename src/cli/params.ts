import { buildCell, CONTEXTS, PRESETS, type CellSpec, type ContextName } from '../biology/contexts.js';
import { InputError } from '../io/errors.js';

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
];

/** `ltcc params`: every parameter of the cell models, by context and component, with its provenance. */
export function paramsCommand(o: ParamsOptions): void {
  if (o.context !== undefined && !CONTEXTS.includes(o.context as ContextName)) {
    throw new InputError(`unknown context '${o.context}' (expected one of ${CONTEXTS.join(', ')})`, undefined, '--context');
  }
  if (o.preset !== undefined) {
    if (o.context === undefined) throw new InputError('needs --context (presets belong to a context)', undefined, '--preset');
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
      process.stdout.write(`\n[${comp}]\n`);
    }
    const prov = r.source ? `source: ${r.source}` : `ASSUMPTION: ${r.assumption ?? '(none given)'}`;
    process.stdout.write(`  ${r.path.padEnd(22)} ${String(r.value).padStart(10)} ${r.unit.padEnd(12)} ${prov}\n`);
  }
}
