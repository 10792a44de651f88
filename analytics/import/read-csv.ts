import Papa from 'papaparse';
import { openContent, stripBom, type FileHead } from './source.ts';
import type { RecordSink, SourceRecord } from './types.ts';

const BATCH = 2_000;

/** Header names of a CSV file from its first bytes. */
export function csvColumns(head: Buffer): string[] {
  const firstLine = stripBom(head.toString('utf8')).split(/\r?\n/, 1)[0] ?? '';
  const parsed = Papa.parse<string[]>(firstLine, { header: false });
  return (parsed.data[0] ?? []).map((name) => name.trim());
}

/**
 * Streams a CSV file as header-keyed records. Line numbers are exact even when quoted fields hold line
 * breaks: each record advances the count by one plus the breaks inside its fields.
 * Resolves with the SHA-256 of the file's bytes.
 */
export function readCsvRecords(
  file: FileHead,
  onBatch: RecordSink,
  onBytes?: (n: number) => void,
): Promise<string> {
  const content = openContent(file, onBytes);
  let header: string[] | null = null;
  let line = 1;
  let batch: SourceRecord[] = [];
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(content.stream, {
      header: false,
      skipEmptyLines: false,
      step: (result) => {
        const fields = result.data;
        const startLine = line;
        line += 1 + embeddedBreaks(fields);
        if (header === null) {
          header = fields.map((name, i) => (i === 0 ? stripBom(name) : name).trim());
          return;
        }
        if (fields.length === 1 && fields[0] === '') return; // blank line
        batch.push(toRecord(header, fields, startLine, result.errors));
        if (batch.length >= BATCH) {
          onBatch(batch);
          batch = [];
        }
      },
      complete: () => {
        if (batch.length > 0) onBatch(batch);
        resolve(content.digest());
      },
      error: (err: Error) => reject(err),
    });
    content.stream.on('error', reject);
  });
}

function toRecord(header: string[], fields: string[], line: number, errors: Papa.ParseError[]): SourceRecord {
  const values: Record<string, unknown> = {};
  const n = Math.min(header.length, fields.length);
  for (let i = 0; i < n; i++) values[header[i] as string] = fields[i];
  const record: SourceRecord = { line, values };
  const quoteError = errors.find((e) => e.type === 'Quotes');
  if (quoteError) record.error = `malformed quoting: ${quoteError.message}`;
  else if (fields.length !== header.length) {
    record.error = `has ${fields.length} fields, the header has ${header.length}`;
  }
  return record;
}

function embeddedBreaks(fields: string[]): number {
  let breaks = 0;
  for (const field of fields) {
    let at = field.indexOf('\n');
    while (at !== -1) {
      breaks++;
      at = field.indexOf('\n', at + 1);
    }
  }
  return breaks;
}
