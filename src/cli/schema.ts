/**
 * `ltcc schema`: the scenario file format as JSON Schema (draft 2020-12), for editors and
 * validators.
 */
import { writeFileAtomic } from '../io/writers/atomic.js';
import { toJson } from '../io/writers/json.js';
import { scenarioJsonSchema } from '../io/scenario/schema.js';

export interface SchemaOptions {
  /** Write to this file instead of stdout. Default: stdout. */
  output?: string;
  stdout?: { write(s: string): unknown };
}

/** Prints (or writes) the scenario JSON Schema. */
export function schemaCommand(o: SchemaOptions = {}): void {
  const text = toJson(scenarioJsonSchema());
  if (o.output) writeFileAtomic(o.output, text);
  else (o.stdout ?? process.stdout).write(text);
}
