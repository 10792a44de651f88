import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, uploadFile } from '../../api/client.ts';
import { queryKeys } from '../../api/hooks.ts';
import type { FileImportSummary } from '../../../../contracts/imports.ts';

export type UploadPhase = 'queued' | 'uploading' | 'importing' | 'done' | 'error';

export interface UploadItem {
  id: number;
  name: string;
  size: number;
  phase: UploadPhase;
  /** 0..1 of the bytes sent. */
  progress: number;
  summary?: FileImportSummary;
  error?: string;
}

let nextId = 1;

/** One file through upload and import; reports each phase and never throws. */
async function uploadOne(file: File, report: (patch: Partial<UploadItem>) => void): Promise<void> {
  report({ phase: 'uploading' });
  const handle = uploadFile(file, (progress) =>
    report({ progress, phase: progress >= 1 ? 'importing' : 'uploading' }),
  );
  try {
    const summary = await handle.done;
    report({ phase: 'done', progress: 1, summary });
  } catch (err) {
    report({ phase: 'error', error: errorMessage(err) });
  }
}

/**
 * Uploads files one request each, one at a time: the server imports each in a worker, and files in
 * order keep "already stored" answers predictable when a CUR and its FOCUS twin arrive together.
 */
export function useUploads() {
  const client = useQueryClient();
  const [items, setItems] = useState<UploadItem[]>([]);
  const queue = useRef<Array<{ id: number; file: File }>>([]);
  const running = useRef(false);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const update = useCallback((id: number, patch: Partial<UploadItem>) => {
    if (mounted.current)
      setItems((all) => all.map((item) => (item.id === id ? { ...item, ...patch } : item)));
  }, []);

  const drain = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    for (let next = queue.current.shift(); next; next = queue.current.shift()) {
      await uploadOne(next.file, (patch) => update(next.id, patch));
      // Per file, so the report below grows as each import lands; react-query drops superseded fetches.
      void client.invalidateQueries({ queryKey: queryKeys.report });
    }
    running.current = false;
  }, [client, update]);

  const addFiles = useCallback(
    (files: Iterable<File>) => {
      const added = [...files].map((file) => ({ id: nextId++, file }));
      if (added.length === 0) return;
      queue.current.push(...added);
      setItems((all) => [
        ...added.map(({ id, file }) => ({
          id,
          name: file.name,
          size: file.size,
          phase: 'queued' as const,
          progress: 0,
        })),
        ...all,
      ]);
      void drain();
    },
    [drain],
  );

  const clearFinished = useCallback(() => {
    setItems((all) => all.filter((item) => item.phase !== 'done' && item.phase !== 'error'));
  }, []);

  return {
    items,
    addFiles,
    clearFinished,
    busy: items.some((i) => i.phase !== 'done' && i.phase !== 'error'),
  };
}
