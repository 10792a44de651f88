import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { readWhole, type FileHead } from './source.ts';
import { FileFormatError, type RecordSink } from './types.ts';

/** A Parquet file held in memory (exports are columnar and compressed, so this is their small form). */
export interface ParquetFile {
  buffer: ArrayBuffer;
  columns: string[];
  rowGroups: number[];
  digest: string;
}

export async function loadParquet(file: FileHead): Promise<ParquetFile> {
  const { content, digest } = await readWhole(file);
  const buffer = content.buffer.slice(
    content.byteOffset,
    content.byteOffset + content.byteLength,
  ) as ArrayBuffer;
  try {
    const metadata = parquetMetadata(buffer);
    const columns = parquetSchema(metadata).children.map((child) => child.element.name);
    const rowGroups = metadata.row_groups.map((group) => Number(group.num_rows));
    return { buffer, columns, rowGroups, digest };
  } catch (err) {
    throw new FileFormatError(`unreadable Parquet file: ${(err as Error).message}`);
  }
}

/** Reads one row group at a time, so memory holds one group's rows; a record's line is its row number. */
export async function readParquetRecords(file: ParquetFile, onBatch: RecordSink): Promise<void> {
  let rowStart = 0;
  for (const rows of file.rowGroups) {
    const objects = await parquetReadObjects({
      file: file.buffer,
      compressors,
      rowStart,
      rowEnd: rowStart + rows,
    });
    onBatch(objects.map((values, i) => ({ line: rowStart + i + 1, values })));
    rowStart += rows;
  }
}
