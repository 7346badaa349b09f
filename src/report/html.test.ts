import { describe, expect, it } from 'vitest';
import { MANIFEST_FORMAT, type RunManifest } from '../io/store/manifest.js';
import { escapeHtml, renderReport } from './html.js';
import { tracePlot } from './plots.js';

const manifest: RunManifest = {
  format: MANIFEST_FORMAT, name: 'demo <run>', description: 'A & B', source: 'examples/demo.yaml', status: 'ok',
  scenario: { name: 'demo', context: 'toy-cell' }, context: 'toy-cell', preset: 'default', modelHash: 'abc123',
  model: { name: 'toy', states: 3, parameters: 10, observables: 2, timeUnit: 'ms' }, version: '0.1.0', seed: 4,
  solver: { method: 'bdf', rtol: 1e-6, atol: 1e-10, retcode: 'Success', message: '', tReached: 10, stats: { steps: 42, nf: 100, nJ: 5 } },
  started: '2025-01-01T00:00:00.000Z', finished: '2025-01-01T00:00:01.000Z', wallMs: 1234,
  summary: [{ output: 'Ca', unit: 'uM', min: 0.05, max: 0.512345, final: 0.06, tMax: 12.5, mean: 0.1 }],
  assumptions: [{ name: 'ca.g', value: 2, unit: 'nS', assumption: 'illustrative value', overridden: true }],
  experiments: [], files: [{ path: 'timecourse.csv', bytes: 100, description: 'time courses' }], warnings: ['unit of x unknown'],
};
const svg = tracePlot({ series: [{ name: 'Ca', t: [0, 1, 2], y: [0, 1, 0] }], yLabel: 'Ca', yUnit: 'uM' });

describe('renderReport', () => {
  const html = renderReport({
    manifest,
    figures: [{ title: 'Ca trace', svg, caption: 'The transient.' }],
    tables: [{ title: 'Big table', table: { columns: [{ name: 'x', unit: 'ms', values: Array.from({ length: 60 }, (_, i) => i) }] }, maxRows: 10 }],
    validation: [{ id: 'T1', description: 'peak Ca', status: 'fail', detail: '0.5 vs 0.7', source: 'Someone 2000' }],
  });

  it('is one self-contained page: inline CSS and SVG, no scripts, no external resources', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href="http|url\(http|@import/i);
  });
  it('escapes text from the scenario', () => {
    expect(html).toContain('<h1>demo &lt;run&gt;</h1>');
    expect(html).toContain('A &amp; B');
    expect(escapeHtml(`<a href="x">'`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;');
  });
  it('shows run facts, summary, validation, assumptions, files and warnings', () => {
    expect(html).toContain('bdf, rtol 1e-6, atol 1e-10');
    expect(html).toContain('42 steps');
    expect(html).toContain('<td class="num">0.5123</td>');
    expect(html).toContain('<span class="status fail">fail</span>');
    expect(html).toContain('ca.g (set by the scenario)');
    expect(html).toContain('illustrative value');
    expect(html).toContain('timecourse.csv');
    expect(html).toContain('unit of x unknown');
    expect(html).toContain('The transient.');
  });
  it('limits long tables and says so', () => {
    expect(html).toContain('First 10 of 60 rows');
    expect(html.match(/<td class="num">\d+<\/td><\/tr>/g)?.length).toBe(10);
  });
  it('says when no validation target or assumption applies', () => {
    const bare = renderReport({ manifest: { ...manifest, assumptions: [] } });
    expect(bare).toContain('touches no target of the validation catalogue');
    expect(bare).toContain('uses no parameter marked as an assumption');
  });
});
