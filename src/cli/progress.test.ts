import { describe, expect, it } from 'vitest';
import { startProgress } from './progress.js';

const sink = (isTTY: boolean) => {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => { out.push(s); return true; } } };
};

describe('startProgress', () => {
  it('prints nothing for work that ends within the delay', () => {
    const { out, stream } = sink(false);
    let t = 0;
    const p = startProgress('sweep', 10, { stream, now: () => t, quiet: false });
    for (let i = 0; i < 10; i++) { t += 50; p.tick(); }
    p.done();
    expect(out).toEqual([]);
  });
  it('prints occasional plain lines when not on a terminal', () => {
    const { out, stream } = sink(false);
    let t = 0;
    const p = startProgress('sweep', 100, { stream, now: () => t, quiet: false, lineIntervalMs: 2000 });
    for (let i = 0; i < 100; i++) { t += 100; p.tick(1, `point ${i + 1}`); }
    p.done();
    // Ticks from 1 s to 10 s, one line per 2 s, then the closing line.
    expect(out.length).toBe(6);
    expect(out[0]).toBe('sweep: 10/100 10% (point 10), 1 s\n');
    expect(out[out.length - 1]).toBe('sweep: 100/100 done in 10.0 s\n');
  });
  it('is silent when quiet', () => {
    const { out, stream } = sink(true);
    let t = 0;
    const p = startProgress('x', 3, { stream, now: () => t, quiet: true });
    t = 5000;
    p.tick();
    p.done();
    expect(out).toEqual([]);
  });
  it('draws a bar on a terminal', () => {
    const { out, stream } = sink(true);
    let t = 0;
    const p = startProgress('suite', 4, { stream: Object.assign(stream, { columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true }), now: () => t, quiet: false, delayMs: 0 });
    t = 10;
    p.tick(2);
    p.done();
    expect(out.join('')).toMatch(/suite \[.*\] 50% \| 2\/4/);
  });
  it('prints result lines above the bar and draws the bar again below them', () => {
    const log: string[] = [];
    const tty = { isTTY: true, columns: 120, write: (s: string) => { log.push(`err:${s}`); return true; }, cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
    const out = { isTTY: true, write: (s: string) => { log.push(`out:${s}`); return true; } };
    let t = 0;
    const p = startProgress('targets', 2, { stream: tty, now: () => t, quiet: false, delayMs: 0 });
    t = 10;
    p.tick(1);
    const before = log.length;
    p.print('PASS first\n', out);
    const after = log.slice(before);
    const text = after.indexOf('out:PASS first\n');
    expect(text).toBeGreaterThan(0);
    expect(after.slice(0, text).join('')).toContain('\x1b[2K');
    expect(after.slice(text + 1).join('')).toMatch(/targets \[.*\] 50% \| 1\/2/);
    p.done();
  });
  it('prints result lines unchanged when quiet or before the bar shows', () => {
    for (const quiet of [true, false]) {
      const { out: err, stream } = sink(true);
      const { out, stream: stdout } = sink(true);
      const p = startProgress('x', 3, { stream, now: () => 0, quiet });
      p.print('row\n', stdout);
      p.done();
      expect(out).toEqual(['row\n']);
      expect(err).toEqual([]);
    }
  });
});
