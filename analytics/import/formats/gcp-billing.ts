// PLACEHOLDER: replaced by the real importer; detects nothing until then.
import { RowError, type ImportFormat } from '../types.ts';

export const gcpBilling: ImportFormat = {
  id: 'gcpBilling',
  label: 'gcpBilling',
  containers: [],
  detect: () => false,
  toRows: () => {
    throw new RowError('not implemented');
  },
};
