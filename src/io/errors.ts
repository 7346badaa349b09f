/**
 * Bad input from a file: the message names the file, the field (a JSON path or element id)
 * and, where known, the line and column. The CLI prints `message` alone and exits with code 2.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly field?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(InputError.compose(message, file, field, line, column));
    this.name = 'InputError';
  }

  private static compose(message: string, file?: string, field?: string, line?: number, column?: number): string {
    const loc = [file, line !== undefined ? `${line}${column !== undefined ? `:${column}` : ''}` : undefined].filter(Boolean).join(':');
    const parts = [loc, field ? `field ${field}` : undefined].filter(Boolean).join(', ');
    return parts ? `${parts}: ${message}` : message;
  }
}
