/** Signalling to the nucleus: public surface. */
export { addSignalling, buildSignallingModel, SIGNALLING_READOUTS, SIGNALLING_PARAM_TABLES, type SignallingOptions, type ReadoutName } from './signalling.js';
export { attachSignalling, type AttachOptions } from './attach.js';
export { ca1Inputs, prescribedInputs, CAV13_SHARE, PRESCRIBED_INPUT_PARAMS, type SignallingInputs } from './inputs.js';
export { SIGNALLING_KNOCKOUTS, KNOCKOUT_IDS, applyKnockouts, checkKnockouts, type Knockout, type KnockoutId } from './knockouts.js';
export { calmodulin, lobeLoaded, iqLoaded, CALMODULIN_PARAMS, type CalmodulinInputs } from './calmodulin.js';
export { camkii, CAMKII_PARAMS, type CamkiiInputs } from './camkii.js';
