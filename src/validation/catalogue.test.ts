import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, findTarget } from './catalogue.js';
import { runValidation, validationMarkdown } from './run.js';

const CELL_TARGETS = [
  'koschak2001-threshold', 'koschak2001-tau-act', 'koschak2001-inact-5s', 'bell2001-iv-peak',
  'maravall2000-rest-ca', 'maravall2000-buffer', 'maravall2000-ca-per-ap',
  'thibault2001-rest-ca-aging', 'thibault2001-train-ca-aging', 'moyer2000-ahp-aging',
];

describe('validation catalogue', () => {
  it('has one entry per target of the shared reference, and no other', () => {
    const text = readFileSync(path.resolve(process.cwd(), '../shared/reference/validation-targets.md'), 'utf8');
    const ids = [...text.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(CATALOGUE.map((t) => t.id).sort()).toEqual([...ids].sort());
  });

  it('implements the cell targets; targets without a runner are marked as not implemented and never pass', () => {
    for (const id of CELL_TARGETS) expect(Boolean(findTarget(id)?.run), id).toBe(true);
    const rows = runValidation(CATALOGUE.filter((t) => !t.run));
    for (const r of rows) {
      expect(r.pass).toBe(false);
      expect(r.reason).toMatch(/not implemented yet/);
    }
  });

  it('runs the resting and single-spike Ca²⁺ targets and they pass', () => {
    const rows = runValidation(['maravall2000-rest-ca', 'maravall2000-buffer', 'maravall2000-ca-per-ap', 'thibault2001-rest-ca-aging'].map((id) => findTarget(id)!));
    for (const r of rows) expect(r.pass, `${r.id}: ${r.simulated} (${r.reason})`).toBe(true);
    // the rule is applied to the numbers, not assumed: the buffer capacity of an intact cell
    // (calbindin present) is far outside the whole-cell range
    expect(rows[1].values!.kappaIntact).toBeGreaterThan(80);
  });

  it('renders a Markdown table with every target and its verdict', () => {
    const rows = runValidation([...CATALOGUE.filter((t) => !t.run), findTarget('maravall2000-buffer')!]);
    const md = validationMarkdown(rows, { version: 'test' });
    for (const r of rows) expect(md).toContain(`\`${r.id}\``);
    expect(md).toContain('**pass**');
    expect(md).toMatch(new RegExp(`1 of ${rows.length} targets pass`));
    if (rows.length > 1) expect(md).toContain('not implemented yet');
  });
});
