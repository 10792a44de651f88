import type { CostRow } from '../../contracts/cost.ts';
import { chargeFingerprint } from '../store/cost-identity.ts';
import type { ImportFormat, MapContext, SourceRecord } from './types.ts';

/** One record's outcome: its rows with their charge fingerprints, or why it was skipped. */
export type MappedRecord =
  | { line: number; rows: CostRow[]; fingerprints: string[]; error?: undefined }
  | { line: number; error: string; rows?: undefined; fingerprints?: undefined };

/** Maps a record to rows; a thrown error (RowError or any other) becomes a skip with its message. */
export function mapRecord(record: SourceRecord, format: ImportFormat, context: MapContext): MappedRecord {
  if (record.error) return { line: record.line, error: record.error };
  try {
    const mapped = format.toRows(record.values, context);
    const rows = Array.isArray(mapped) ? [...(mapped as readonly CostRow[])] : [mapped as CostRow];
    return { line: record.line, rows, fingerprints: rows.map(chargeFingerprint) };
  } catch (err) {
    return { line: record.line, error: err instanceof Error ? err.message : String(err) };
  }
}
