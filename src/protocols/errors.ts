import { ModelError } from '../model/errors.js';

/** A protocol that cannot run (negative or overlapping durations, unknown fields): names the field. */
export class ProtocolError extends ModelError {
  constructor(message: string, readonly field: string) {
    super(`protocol field ${field}: ${message}`, field);
    this.name = 'ProtocolError';
  }
}
