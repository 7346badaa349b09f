/** The SQLite run store, run manifests, and run comparison. */
export { DEFAULT_STORE, RunStore, type RunRecord, type StoredRun } from './store.js';
export { compareRuns, flatten, type RunComparison, type SettingChange, type SummaryChange, SUMMARY_METRICS } from './compare.js';
export { MANIFEST_FORMAT, type AssumptionUsed, type FileEntry, type RunManifest, type RunStatus, type SolverRecord, type SummaryRow } from './manifest.js';
