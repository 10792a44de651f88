// Thread entry for the local embedding model. onnxruntime-node runs a session synchronously on the
// calling thread, so on the proxy's thread every embedding (3-6 ms) would stall every request in
// flight; here it stalls only this thread.
import { parentPort, workerData } from 'node:worker_threads';
import { OnnxEmbedder } from './onnx-embedder.ts';

export type EmbedderRequest = { id: number; texts: string[] };
export type EmbedderReply =
  | { type: 'ready'; id: string; dimensions: number }
  | { type: 'failed'; message: string }
  | { id: number; vectors: Float32Array[] }
  | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('embedder-worker must run in a worker thread');
const reply = (message: EmbedderReply, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

try {
  const embedder = await OnnxEmbedder.load((workerData as { modelDir: string }).modelDir);
  reply({ type: 'ready', id: embedder.id, dimensions: embedder.dimensions });
  port.on('message', ({ id, texts }: EmbedderRequest) => {
    embedder.embed(texts).then(
      (vectors) =>
        reply(
          { id, vectors },
          vectors.map((v) => v.buffer as ArrayBuffer),
        ),
      (error: unknown) => reply({ id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
} catch (error) {
  reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
