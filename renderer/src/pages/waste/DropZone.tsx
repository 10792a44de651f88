import { useRef, useState, type DragEvent } from 'react';
import { UploadIcon } from '../../components/icons.tsx';

interface Props {
  onFiles: (files: FileList) => void;
  busy: boolean;
}

const FORMATS =
  'OpenAI and Anthropic cost and usage exports, AWS CUR 2.0, Google Cloud billing, Azure cost details, FinOps FOCUS and Apex request logs: CSV, JSON, JSONL, Parquet, gzip.';

function useFileDrop(onFiles: (files: FileList) => void) {
  // Counting enters and leaves: dragleave also fires when the pointer crosses into a child element.
  const depth = useRef(0);
  const [over, setOver] = useState(false);

  const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');
  const onDragEnter = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth.current++;
    setOver(true);
  };
  const onDragLeave = () => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setOver(false);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    depth.current = 0;
    setOver(false);
    if (e.dataTransfer.files.length > 0) onFiles(e.dataTransfer.files);
  };
  const onDragOver = (e: DragEvent) => {
    if (hasFiles(e)) e.preventDefault();
  };
  return { over, handlers: { onDragEnter, onDragOver, onDragLeave, onDrop } };
}

/** Drop files anywhere on the zone, or pick them with the button (the keyboard path). */
export function DropZone({ onFiles, busy }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const { over, handlers } = useFileDrop(onFiles);

  return (
    <section
      className={`dropzone${over ? ' dropzone--over' : ''}`}
      aria-labelledby="import-heading"
      data-testid="drop-zone"
      {...handlers}
    >
      <span className="dropzone-icon">
        <UploadIcon />
      </span>
      <div className="dropzone-text">
        <h2 id="import-heading">Import bills and usage exports</h2>
        <p>{over ? 'Drop to import' : 'Drag files here, or choose them. Several at once is fine.'}</p>
        <p className="subtle">{FORMATS}</p>
      </div>
      <button
        type="button"
        className="btn btn--primary"
        onClick={() => input.current?.click()}
        data-testid="choose-files"
      >
        {busy ? 'Add more files' : 'Choose files'}
      </button>
      <label htmlFor="import-files" className="visually-hidden">
        Files to import
      </label>
      <input
        ref={input}
        id="import-files"
        type="file"
        multiple
        className="visually-hidden"
        tabIndex={-1}
        data-testid="file-input"
        onChange={(e) => {
          if (e.target.files && e.target.files.length > 0) onFiles(e.target.files);
          e.target.value = '';
        }}
      />
    </section>
  );
}
