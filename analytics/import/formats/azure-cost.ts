// PLACEHOLDER: replaced by the real importer; detects nothing until then.
import { RowError, type ImportFormat } from '../types.ts';

export const azureCostDetails: ImportFormat = {
  id: 'azureCostDetails',
  label: 'azureCostDetails',
  containers: [],
  detect: () => false,
  toRows: () => {
    throw new RowError('not implemented');
  },
};
