/**
 * Test set-up: property-based tests run with a fixed seed so that a test run is reproducible
 * (the same inputs every time, in CI too). Set FC_SEED to explore other inputs, e.g.
 * `FC_SEED=$RANDOM npx vitest run`; a failure prints the seed and path to replay it.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20261130;
fc.configureGlobal({ seed });
