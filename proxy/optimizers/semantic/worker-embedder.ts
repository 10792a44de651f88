import { Worker } from 'node:worker_threads';
import { workerScript } from '../../../common/resources.ts';
import type { Embedder } from './embedder.ts';
import type { EmbedderReply } from './embedder-worker.ts';

const WORKER_URL = workerScript(import.meta.url, './embedder-worker.ts', './embedder-worker.js');

/**
 * The local ONNX embedder on its own thread, so the proxy's event loop keeps relaying other
 * requests while a question is embedded. The worker is unref'd: it never holds a shutdown open.
 */
export class WorkerEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(v: Float32Array[]): void; reject(e: Error): void }>();
  private nextId = 0;

  private constructor(worker: Worker, id: string, dimensions: number) {
    this.worker = worker;
    this.id = id;
    this.dimensions = dimensions;
    worker.on('message', (message: EmbedderReply) => this.settle(message));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new Error('embedding worker stopped')));
    worker.unref();
  }

  static load(modelDir: string): Promise<WorkerEmbedder> {
    const worker = new Worker(WORKER_URL, { workerData: { modelDir } });
    return new Promise((resolve, reject) => {
      worker.once('message', (message: EmbedderReply) => {
        if ('type' in message && message.type === 'ready')
          resolve(new WorkerEmbedder(worker, message.id, message.dimensions));
        else {
          void worker.terminate();
          reject(
            new Error(
              'type' in message && message.type === 'failed' ? message.message : 'embedding worker failed',
            ),
          );
        }
      });
      worker.once('error', reject);
    });
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, texts });
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }

  private settle(message: EmbedderReply): void {
    if (!('id' in message) || typeof message.id !== 'number') return;
    const waiter = this.pending.get(message.id);
    this.pending.delete(message.id);
    if ('vectors' in message) waiter?.resolve(message.vectors);
    else if ('error' in message) waiter?.reject(new Error(message.error));
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
