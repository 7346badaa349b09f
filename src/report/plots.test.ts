import { describe, expect, it } from 'vitest';
import {
  activationPlot, concentrationResponsePlot, decimate, formatNumber, heatmapPlot, ivPlot, roundSvgNumbers, svgToPng, tracePlot,
} from './plots.js';

/** Deterministic form for golden files: numbers to 3 decimals, generated ids normalised. */
const normalise = (svg: string): string => roundSvgNumbers(svg).replace(/id="([^"]+)"/g, 'id="id"').replace(/url\(#[^)]+\)/g, 'url(#id)');

const t = Array.from({ length: 201 }, (_, i) => i);
const hill = (c: number): number => 100 / (1 + c / 0.1);
const conc = [0.001, 0.01, 0.1, 1, 10];
const fitX = Array.from({ length: 21 }, (_, i) => 10 ** (-3 + i / 5));
const v = Array.from({ length: 9 }, (_, i) => -60 + 15 * i);

const trace = () => tracePlot({
  title: 'Membrane potential',
  series: [
    { name: 'young', t, y: t.map((x) => -70 + 40 * Math.exp(-(((x - 80) / 20) ** 2))) },
    { name: 'aged', t, y: t.map((x) => -70 + 30 * Math.exp(-(((x - 100) / 30) ** 2))) },
  ],
  yLabel: 'V', yUnit: 'mV',
});
const cr = () => concentrationResponsePlot({
  title: 'Block',
  series: [{ name: 'blocker', concentrations: conc, responses: conc.map(hill), fit: { x: fitX, y: fitX.map(hill), lower: fitX.map((c) => hill(c) - 5), upper: fitX.map((c) => hill(c) + 5) }, ic50: 0.1 }],
  responseLabel: 'peak ICa', responseUnit: '% of control',
});
const iv = () => ivPlot({ series: [{ name: 'channel', voltage: v, value: v.map((x) => (x - 60) / (1 + Math.exp(-(x + 10) / 6))) }] });
const act = () => activationPlot({
  series: [
    { name: 'a', voltage: v, value: v.map((x) => 1 / (1 + Math.exp(-(x + 10) / 6))) },
    { name: 'b', voltage: v, value: v.map((x) => 1 / (1 + Math.exp(-(x + 25) / 6))), fit: { voltage: v, value: v.map((x) => 1 / (1 + Math.exp(-(x + 25) / 6))) } },
  ],
});
const heat = () => heatmapPlot({
  title: 'Sweep', x: [1, 2, 3], y: [0.1, 0.2], z: [0, 1, 2, 3, 4, NaN],
  xLabel: 'ca.g', xUnit: 'nS', yLabel: 'kca.g', yUnit: 'nS', zLabel: 'max Ca', zUnit: 'uM',
});

describe('golden SVG snapshots', () => {
  it('time traces', async () => { await expect(normalise(trace())).toMatchFileSnapshot('./__snapshots__/trace.svg'); });
  it('concentration–response', async () => { await expect(normalise(cr())).toMatchFileSnapshot('./__snapshots__/concentration-response.svg'); });
  it('I–V', async () => { await expect(normalise(iv())).toMatchFileSnapshot('./__snapshots__/iv.svg'); });
  it('activation', async () => { await expect(normalise(act())).toMatchFileSnapshot('./__snapshots__/activation.svg'); });
  it('heat map', async () => { await expect(normalise(heat())).toMatchFileSnapshot('./__snapshots__/heatmap.svg'); });
  it('is deterministic', () => { expect(trace()).toBe(trace()); });
});

describe('plot content', () => {
  it('labels axes with units and lists every series in the legend', () => {
    const s = trace();
    expect(s).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="640"/);
    expect(s).toContain('V (mV)');
    expect(s).toContain('time (ms)');
    expect(s).toContain('>young</text>');
    expect(s).toContain('>aged</text>');
    expect(s).not.toMatch(/\d\.\d{4,}/);
    expect(s).not.toContain('<style');
  });
  it('draws the concentration axis as log with the band, fit and IC50 line', () => {
    const s = cr();
    expect(s).toContain('concentration (µM)');
    expect(s).toContain('peak ICa (% of control)');
    expect(s).toContain('fill-opacity="0.18"');
    expect(s).toContain('stroke-dasharray="4,3"');
    expect(s).toMatch(/>0\.1</);
    expect(s).not.toMatch(/>100m</);
  });
  it('puts zero lines on I–V plots and a fixed 0–1 range on activation plots', () => {
    expect(iv()).toContain('I (pA)');
    expect(act()).toContain('G/Gmax');
    expect(act()).toMatch(/>1\.0</);
  });
  it('draws a colour bar and grey NaN cells in heat maps, and checks the grid size', () => {
    const s = heat();
    expect(s).toContain('linearGradient');
    expect(s).toContain('max Ca (uM)');
    expect(s).toContain('fill="#ccc"');
    expect(() => heatmapPlot({ x: [1, 2], y: [1], z: [1], xLabel: 'x', yLabel: 'y', zLabel: 'z' })).toThrow(/expected 2 × 1 = 2/);
  });
  it('renders PNG at twice the size', () => {
    const png = svgToPng(iv());
    expect(Array.from(png.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(16)).toBe(1120);
  });
});

describe('helpers', () => {
  it('decimates keeping extremes', () => {
    const y = Array.from({ length: 10_000 }, (_, i) => (i === 5003 ? 100 : Math.sin(i / 100)));
    const d = decimate(Array.from({ length: 10_000 }, (_, i) => i), y, 200);
    expect(d.t.length).toBeLessThanOrEqual(200);
    expect(Math.max(...d.y)).toBe(100);
    expect(d.t).toEqual([...d.t].sort((a, b) => a - b));
  });
  it('formats numbers with 3 significant digits', () => {
    expect([formatNumber(0.000123), formatNumber(1234.5), formatNumber(2e6), formatNumber(0)]).toEqual(['1.23e-4', '1230', '2e+6', '0']);
  });
});
