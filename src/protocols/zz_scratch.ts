import { ivCurve, IV_LEVELS, activationTauAt, inactivationAfter } from '../experiments/cell.js';
for (const [iso, preset] of [['cav13', 'koschak2001'], ['cav12', 'koschak2001'], ['cav13', 'bell2001']] as const) {
  const spec = { context: 'heterologous' as const, isoform: iso, preset };
  const t0 = performance.now();
  const iv = ivCurve(spec, IV_LEVELS);
  const tau = activationTauAt(spec, Math.round(iv.vPeak));
  const inact = preset === 'koschak2001' ? inactivationAfter(spec, Math.round(iv.vPeak)) : NaN;
  console.log(iso, preset, 'thr', iv.threshold.toFixed(1), 'peak', iv.vPeak.toFixed(1), 'tau', tau.toFixed(2), 'inact', (inact * 100).toFixed(1), (performance.now() - t0).toFixed(0), 'ms');
}
