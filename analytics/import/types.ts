import type { CostRow } from '../../contracts/cost.ts';
import type { PriceBook } from '../../pricing/types.ts';

/** How a file's records are laid out, sniffed from its bytes (gzip is undone first). */
export type Container = 'csv' | 'json' | 'jsonl' | 'parquet';

/** What format detection sees: the header of a table, or the first object of a JSON document. */
export interface Probe {
  container: Container;
  /** Column names of a CSV header or Parquet schema, as written in the file; empty for JSON. */
  columns: readonly string[];
  /** The whole parsed document (json) or the first line's object (jsonl); undefined for tables. */
  first: unknown;
}

/** One record of a file with the line it starts on (Parquet: its 1-based row number). */
export interface SourceRecord {
  line: number;
  values: Record<string, unknown>;
  /** Set when the container itself is broken at this record (bad JSON line, wrong field count). */
  error?: string;
}

/** Receives records in batches, synchronously, so each batch is stored before the next is read. */
export type RecordSink = (batch: SourceRecord[]) => void;

/** A JSON document's records in document order, and how deep each record object is nested (root = 1). */
export interface JsonRecords {
  depth: number;
  records: Iterable<Record<string, unknown>>;
}

export interface MapContext {
  /** Prices token-only usage (kind "usage" rows). */
  prices: PriceBook;
}

export interface ImportFormat {
  /** Stable id written to the store and the import summary, e.g. "aws-cur2". */
  id: string;
  /** What a person calls it, e.g. "AWS Cost and Usage Report 2.0". */
  label: string;
  containers: readonly Container[];
  detect(probe: Probe): boolean;
  /** JSON documents only: where the records are. Bucket-level fields should be merged into each. */
  records?(document: unknown): JsonRecords;
  /** One record to zero or more rows; throws RowError when the record is malformed. */
  toRows(values: Record<string, unknown>, context: MapContext): CostRow | readonly CostRow[];
}

/** A malformed record: reported with its file and line, skipped, and the import goes on. */
export class RowError extends Error {
  override name = 'RowError';
}

/** A file Apex cannot import at all (unknown format, unreadable container). */
export class FileFormatError extends Error {
  override name = 'FileFormatError';
}
