import { ModelError } from '../model/errors.js';

/**
 * A bad request to the biology layer: unknown context, preset, component or parameter path, or
 * a value outside its physical bounds. `field` names what was wrong (e.g. `preset`,
 * `cav12.pbar`). It extends {@link ModelError} so every front end reports it as bad input.
 */
export class BiologyError extends ModelError {
  constructor(message: string, readonly field?: string) {
    super(field ? `${field}: ${message}` : message, field);
    this.name = 'BiologyError';
  }
}
