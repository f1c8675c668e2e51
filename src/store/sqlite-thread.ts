/**
 * @module store/sqlite-thread
 * The main thread's side of the SQLite worker thread (store/sqlite-worker.ts): started on the
 * first statement, answers each compiled query with a promise. If the thread dies, its pending
 * statements fail with the reason and the next statement starts a new one; close() ends it and
 * waits until its connection is closed.
 */
import { Worker } from 'node:worker_threads';
import type { CompiledQuery } from 'kysely';
import { workerSourceEntry } from '../worker-source.ts';
import type { ThreadReply, ThreadRequest } from './sqlite-worker.ts';

export interface WriteResult {
  readonly changes: number;
  /** How long the statement held the database's write lock. */
  readonly lockMs: number;
}

export interface SqliteThread {
  write(query: CompiledQuery): Promise<WriteResult>;
  read<R>(query: CompiledQuery<R>): Promise<R[]>;
  close(): Promise<void>;
}

interface Pending {
  resolve(reply: ThreadReply): void;
  reject(error: Error): void;
}

/** Past this, close() stops a thread that has not closed its connection. */
const CLOSE_GRACE_MS = 5000;

export function createSqliteThread(file: string): SqliteThread {
  const pending = new Map<number, Pending>();
  let worker: Worker | undefined;
  let exited: Promise<void> = Promise.resolve();
  let nextId = 1;
  let closed = false;

  function start(): Worker {
    const entry = workerSourceEntry({
      entry: 'store/sqlite-worker.ts',
      folders: ['store'],
      external: ['better-sqlite3'],
    });
    const started = new Worker(entry, { workerData: { file } });
    let failure: Error | undefined;
    started.on('message', (reply: ThreadReply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      // Idle between passes, it must not keep the process alive; a statement under way must.
      if (pending.size === 0) started.unref();
      waiting?.resolve(reply);
    });
    started.on('error', (error) => {
      failure = error;
    });
    exited = new Promise((resolve) => {
      started.on('exit', (code) => {
        if (worker === started) worker = undefined;
        const reason = failure ?? new Error(`the SQLite worker thread exited (code ${code})`);
        for (const waiting of pending.values()) waiting.reject(reason);
        pending.clear();
        resolve();
      });
    });
    return started;
  }

  function send(request: Omit<Extract<ThreadRequest, { id: number }>, 'id'>): Promise<ThreadReply> {
    // After close() nothing may start a thread (and a connection) that nobody would close.
    if (closed) return Promise.reject(new Error('the SQLite worker thread is closed'));
    worker ??= start();
    const id = nextId++;
    const target = worker;
    target.ref();
    return new Promise<ThreadReply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      target.postMessage({ ...request, id } satisfies ThreadRequest);
    }).then((reply) => {
      if ('error' in reply) throw new Error(reply.error);
      return reply;
    });
  }

  const statement = (query: CompiledQuery) => ({ sql: query.sql, parameters: [...query.parameters] });

  return {
    async write(query) {
      const reply = await send({ kind: 'write', ...statement(query) });
      return 'changes' in reply ? { changes: reply.changes, lockMs: reply.lockMs } : { changes: 0, lockMs: 0 };
    },
    async read<R>(query: CompiledQuery<R>) {
      const reply = await send({ kind: 'read', ...statement(query) });
      return 'rows' in reply ? (reply.rows as R[]) : [];
    },
    async close() {
      closed = true;
      const closing = worker;
      if (!closing) return exited;
      closing.ref();
      closing.postMessage({ kind: 'close' } satisfies ThreadRequest);
      const timer = setTimeout(() => void closing.terminate(), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
