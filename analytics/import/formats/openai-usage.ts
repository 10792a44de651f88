// PLACEHOLDER: replaced by the real importer; detects nothing until then.
import { RowError, type ImportFormat } from '../types.ts';

export const openaiUsageJson: ImportFormat = {
  id: 'openaiUsageJson',
  label: 'openaiUsageJson',
  containers: [],
  detect: () => false,
  toRows: () => {
    throw new RowError('not implemented');
  },
};
export const openaiUsageCsv: ImportFormat = {
  id: 'openaiUsageCsv',
  label: 'openaiUsageCsv',
  containers: [],
  detect: () => false,
  toRows: () => {
    throw new RowError('not implemented');
  },
};
