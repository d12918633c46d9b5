import { parentPort, workerData } from 'node:worker_threads';
import { buildTable } from './word-vector-table.js';

/** The worker thread of WordVectorTable.open: builds the table and hands its bytes back (transferred, not copied). */
const { source } = workerData as { source: string };
try {
  const bytes = await buildTable(source);
  const transferable = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  parentPort!.postMessage({ bytes: transferable }, [transferable]);
} catch (error) {
  parentPort!.postMessage({ error: (error as Error).message });
}
