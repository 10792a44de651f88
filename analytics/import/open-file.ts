import { FORMATS } from './formats/index.ts';
import { csvColumns, readCsvRecords } from './read-csv.ts';
import { emitJsonRecords, firstJsonLine, loadJsonDocument, readJsonLines } from './read-json.ts';
import { loadParquet, readParquetRecords } from './read-parquet.ts';
import { readHead, type FileHead } from './source.ts';
import { FileFormatError, type ImportFormat, type Probe, type RecordSink } from './types.ts';

/** A file whose format is known and whose records can be read. */
export interface OpenedFile {
  head: FileHead;
  format: ImportFormat;
  /** Known before reading for whole-file containers (JSON, Parquet); streamed files learn it at the end. */
  digest: string | null;
  /** Reads every record; resolves with the SHA-256 of the file's bytes. */
  read(onBatch: RecordSink, onBytes: (bytesRead: number) => void): Promise<string>;
}

export async function openImportFile(
  path: string,
  formats: readonly ImportFormat[] = FORMATS,
): Promise<OpenedFile> {
  const head = await readHead(path);
  switch (head.container) {
    case 'csv': {
      const format = detect({ container: 'csv', columns: csvColumns(head.head), first: undefined }, formats);
      return {
        head,
        format,
        digest: null,
        read: (onBatch, onBytes) => readCsvRecords(head, onBatch, onBytes),
      };
    }
    case 'jsonl': {
      const probe: Probe = { container: 'jsonl', columns: [], first: firstJsonLine(head.head) };
      const format = formats.find((f) => f.containers.includes('jsonl') && f.detect(probe));
      // A minified JSON document is one line that parses, like the first line of a JSON-lines file.
      if (!format) return openJsonDocument(head, formats);
      return {
        head,
        format,
        digest: null,
        read: (onBatch, onBytes) => readJsonLines(head, onBatch, onBytes),
      };
    }
    case 'json':
      return openJsonDocument(head, formats);
    case 'parquet': {
      const parquet = await loadParquet(head);
      const format = detect({ container: 'parquet', columns: parquet.columns, first: undefined }, formats);
      const read = async (onBatch: RecordSink, onBytes: (n: number) => void): Promise<string> => {
        await readParquetRecords(parquet, onBatch);
        onBytes(head.size);
        return parquet.digest;
      };
      return { head, format, digest: parquet.digest, read };
    }
  }
}

async function openJsonDocument(head: FileHead, formats: readonly ImportFormat[]): Promise<OpenedFile> {
  const { document, text, digest } = await loadJsonDocument(head);
  const format = detect({ container: 'json', columns: [], first: document }, formats);
  const read = (onBatch: RecordSink, onBytes: (n: number) => void): Promise<string> => {
    emitJsonRecords(text, document, format, onBatch);
    onBytes(head.size);
    return Promise.resolve(digest);
  };
  return { head, format, digest, read };
}

function detect(probe: Probe, formats: readonly ImportFormat[]): ImportFormat {
  const found = formats.find((f) => f.containers.includes(probe.container) && f.detect(probe));
  if (found) return found;
  throw new FileFormatError(`not a recognized export (${describe(probe)}); ${supportedList(formats)}`);
}

function describe(probe: Probe): string {
  if (probe.columns.length > 0) {
    const shown = probe.columns.slice(0, 6).join(', ');
    return `${probe.container} with columns ${shown}${probe.columns.length > 6 ? ', ...' : ''}`;
  }
  return `${probe.container} document`;
}

function supportedList(formats: readonly ImportFormat[]): string {
  return `supported: ${formats.map((f) => f.label).join('; ')}`;
}
