// PLACEHOLDER: replaced by the real importer; detects nothing until then.
import { RowError, type ImportFormat } from '../types.ts';

export const anthropicUsageJson: ImportFormat = {
  id: 'anthropicUsageJson',
  label: 'anthropicUsageJson',
  containers: [],
  detect: () => false,
  toRows: () => {
    throw new RowError('not implemented');
  },
};
export const anthropicUsageCsv: ImportFormat = {
  id: 'anthropicUsageCsv',
  label: 'anthropicUsageCsv',
  containers: [],
  detect: () => false,
  toRows: () => {
    throw new RowError('not implemented');
  },
};
