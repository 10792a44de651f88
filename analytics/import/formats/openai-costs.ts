// PLACEHOLDER: replaced by the real importer; detects nothing until then.
import { RowError, type ImportFormat } from '../types.ts';

export const openaiCostsJson: ImportFormat = {
  id: 'openaiCostsJson',
  label: 'openaiCostsJson',
  containers: [],
  detect: () => false,
  toRows: () => {
    throw new RowError('not implemented');
  },
};
export const openaiCostsCsv: ImportFormat = {
  id: 'openaiCostsCsv',
  label: 'openaiCostsCsv',
  containers: [],
  detect: () => false,
  toRows: () => {
    throw new RowError('not implemented');
  },
};
