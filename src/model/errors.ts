/** A model that cannot be built or compiled: the message names the symbol and the component. */
export class ModelError extends Error {
  constructor(
    message: string,
    /** The offending symbol, when there is one. */
    readonly symbol?: string,
    /** The component (namespace) that declared it. */
    readonly component?: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

/** Several problems found at once (validation reports all of them, not just the first). */
export class ModelValidationError extends ModelError {
  constructor(readonly problems: readonly ModelError[]) {
    super(
      problems.length === 1
        ? problems[0].message
        : `${problems.length} problems in the model:\n` + problems.map((p) => `  - ${p.message}`).join('\n'),
    );
    this.name = 'ModelValidationError';
  }
}
