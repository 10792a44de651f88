// PLACEHOLDER: replaced by the real importer; detects nothing until then.
import { RowError, type ImportFormat } from '../types.ts';

export const anthropicCostJson: ImportFormat = {
  id: 'anthropicCostJson',
  label: 'anthropicCostJson',
  containers: [],
  detect: () => false,
  toRows: () => {
    throw new RowError('not implemented');
  },
};
export const anthropicCostCsv: ImportFormat = {
  id: 'anthropicCostCsv',
  label: 'anthropicCostCsv',
  containers: [],
  detect: () => false,
  toRows: () => {
    throw new RowError('not implemented');
  },
};
