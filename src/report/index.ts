/** Plots (SVG, PNG) and the self-contained HTML report. */
export * from './plots.js';
export { type ReportFigure, type ReportInput, type ReportTable, type ValidationStatus, escapeHtml, renderReport } from './html.js';
