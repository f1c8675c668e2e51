/**
 * @module store/sqlite-worker
 * The body of the SQLite worker thread (started by store/sqlite-thread.ts): its own connection to
 * the database file runs the statements the main thread compiled, so their CPU time and I/O are
 * spent off the event loop. SQLite lets one connection write at a time: a write here holds the
 * lock for its one statement, and the main connection waits for it (busy_timeout) only if it
 * writes meanwhile. After a write it checkpoints the WAL (PASSIVE: it takes no lock a writer
 * needs), so the checkpoint's copying and fsync happen here too, rather than in whichever
 * main-thread commit next crosses the automatic checkpoint's threshold.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { applySqlitePragmas } from './sqlite-pragmas.ts';

export type ThreadRequest =
  | { readonly id: number; readonly kind: 'write' | 'read'; readonly sql: string; readonly parameters: unknown[] }
  | { readonly kind: 'close' };

export type ThreadReply =
  | { readonly id: number; readonly changes: number; readonly lockMs: number }
  | { readonly id: number; readonly rows: unknown[] }
  | { readonly id: number; readonly error: string };

const port = parentPort;
if (port) {
  const connection = new SQLite(workerData.file as string);
  applySqlitePragmas(connection);
  port.on('message', (request: ThreadRequest) => {
    if (request.kind === 'close') {
      connection.close();
      port.close();
      return;
    }
    try {
      const statement = connection.prepare(request.sql);
      if (request.kind === 'read') {
        port.postMessage({ id: request.id, rows: statement.all(...request.parameters) } satisfies ThreadReply);
        return;
      }
      const started = performance.now();
      const { changes } = statement.run(...request.parameters);
      const lockMs = performance.now() - started;
      if (changes > 0) connection.pragma('wal_checkpoint(PASSIVE)');
      port.postMessage({ id: request.id, changes, lockMs } satisfies ThreadReply);
    } catch (error) {
      port.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies ThreadReply);
    }
  });
}
