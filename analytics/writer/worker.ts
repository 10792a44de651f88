// The usage writer's worker thread: wires the thread's port to the write loop.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerConfig } from './protocol.ts';
import { runWriterLoop } from './writer-loop.ts';

if (!parentPort) throw new Error('analytics/writer/worker.ts must run as a worker thread');
runWriterLoop(parentPort, workerData as WorkerConfig, (code) => process.exit(code));
