/** What the parse thread tells the writing thread about one file (see parallel-import.ts). */
export type ParseMessage =
  | { type: 'opened'; format: string; formatLabel: string; digest: string | null; size: number }
  | { type: 'batch'; records: string; bytesRead: number }
  | { type: 'done'; digest: string }
  | { type: 'failed'; message: string };

export interface ParseJob {
  path: string;
  /** [0] counts batches posted but not yet stored; the parser waits while it is at the limit. */
  inFlight: Int32Array;
}

/** Batches the parser may run ahead of the writer; bounds memory whichever thread is faster. */
export const MAX_BATCHES_IN_FLIGHT = 8;
