import type { Model } from '../../model/ir.js';

export function exportSbml(model: Model): string {
  throw new Error(`export of ${model.name} is not written yet`);
}
