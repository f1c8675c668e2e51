/**
 * @module expressions/expression-pool
 * JSONata evaluation out of the serving process (PRODUCT.md §4): a warm pool of worker processes,
 * each with a small heap cap (--max-old-space-size), each running one node run's batch at a time.
 * The deadline is enforced here by killing the worker, so nothing an expression does (a long
 * built-in call, a huge string) blocks request handling or takes the service down; the worker is
 * replaced at once.
 *
 * Processes, not worker threads: V8 ends the whole process when one allocation cannot fit even the
 * raised limit of a thread's heap ("Reached heap limit", "invalid size"). Measured on Node 20: a
 * thread with maxOldGenerationSizeMb 128 building a 200 MB string (256: a 400 MB one) aborted the
 * parent; a worker process dies alone.
 * One worker process: worker-process.ts; where its code comes from: ../worker-source.ts.
 */
import {
  DEFAULT_EXPRESSION_LIMITS,
  ExpressionError,
  type ExpressionLimitName,
  type ExpressionLimits,
  timeLimit,
} from '../core/expression-limits.ts';
import type { ExpressionStep } from '../core/expressions.ts';
import type { ExpressionRunner } from '../nodes/node-type.ts';
import { workerSourceEntry } from '../worker-source.ts';
import type { WorkerReply, WorkerTask } from './expression-worker.ts';
import { busy, deathOf, forkSlot, idle, memoryLimit, type Slot } from './worker-process.ts';

export const MAX_WORKER_HEAP_MB = 256;

export interface ExpressionPoolOptions {
  /** Worker processes (EXPRESSION_WORKERS). */
  readonly size: number;
  /** Old-generation heap cap of each worker (EXPRESSION_MEMORY_MB, at most 256). */
  readonly memoryMb: number;
  readonly limits?: Partial<Omit<ExpressionLimits, 'timeoutMs'>>;
  /** A worker died or was ended (deadline, memory, cancellation); for logs. */
  onWorkerLost?(reason: string): void;
}

export interface ExpressionPool extends ExpressionRunner {
  /** Starts the workers (the first evaluation does too) and resolves once all have loaded. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

interface Task {
  readonly id: number;
  readonly steps: readonly ExpressionStep[];
  readonly data: unknown;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly resolve: (results: unknown[]) => void;
  readonly reject: (error: unknown) => void;
  onAbort?: () => void;
  timer?: NodeJS.Timeout;
}

/** The in-worker check ends slow expressions cleanly; past this grace the worker is killed. */
const HARD_DEADLINE_GRACE_MS = 100;
const RESPAWN_DELAY_MS = 1000;

export function createExpressionPool(options: ExpressionPoolOptions): ExpressionPool {
  if (options.memoryMb > MAX_WORKER_HEAP_MB) throw new Error(`expression worker heap above ${MAX_WORKER_HEAP_MB} MB`);
  const limits = { ...DEFAULT_EXPRESSION_LIMITS, ...options.limits };
  const entry = workerSourceEntry({ entry: 'expressions/expression-worker.ts', folders: ['core', 'expressions'] });
  const queue: Task[] = [];
  const slots: Slot<Task>[] = [];
  let nextId = 1;
  let started = false;
  let closed = false;

  function spawn(): Slot<Task> {
    const { slot, markLoaded } = forkSlot<Task>(entry, options.memoryMb);
    const child = slot.child;
    child.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        markLoaded();
        idle(slot);
        dispatch();
        return;
      }
      const task = slot.task;
      if (!task || task.id !== reply.id) return;
      slot.task = null;
      settle(task);
      if (reply.ok) task.resolve(reply.results);
      else {
        const { message, code, limit, step } = reply.error;
        task.reject(new ExpressionError(message, code, limit as ExpressionLimitName | undefined, step));
      }
      idle(slot);
      dispatch();
    });
    child.once('exit', (code, signal) => {
      markLoaded();
      if (!slots.includes(slot)) return; // replaced on purpose (deadline, abort) or the pool closed
      const task = slot.task;
      slot.task = null;
      const death = deathOf(slot, code, signal);
      if (task) {
        settle(task);
        task.reject(memoryLimit(options.memoryMb, death));
      }
      options.onWorkerLost?.(death);
      // A worker that never loaded is not restarted in a tight loop.
      replace(slot, slot.ready ? 0 : RESPAWN_DELAY_MS);
    });
    busy(slot);
    return slot;
  }

  function replace(slot: Slot<Task>, delayMs: number): void {
    const index = slots.indexOf(slot);
    if (index === -1) return;
    slots.splice(index, 1);
    slot.child.kill('SIGKILL');
    if (closed) return;
    const start = () => {
      if (!closed) slots.push(spawn());
    };
    if (delayMs > 0) setTimeout(start, delayMs).unref();
    else start();
  }

  function settle(task: Task): void {
    if (task.timer) clearTimeout(task.timer);
    if (task.onAbort) task.signal.removeEventListener('abort', task.onAbort);
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (!slot.ready || slot.task) continue;
      const task = queue.shift() as Task;
      const message: WorkerTask = {
        id: task.id,
        steps: task.steps,
        data: task.data,
        limits: { ...limits, timeoutMs: task.timeoutMs },
      };
      try {
        slot.child.send(message);
      } catch (error) {
        settle(task);
        task.reject(
          new ExpressionError(`expression data cannot be passed on: ${(error as Error).message}`, 'BAD_DATA'),
        );
        continue;
      }
      slot.task = task;
      busy(slot);
      task.timer = setTimeout(() => {
        if (slot.task !== task) return;
        slot.task = null;
        settle(task);
        task.reject(timeLimit(task));
        options.onWorkerLost?.('deadline');
        replace(slot, 0);
      }, task.timeoutMs + HARD_DEADLINE_GRACE_MS);
    }
  }

  function abort(task: Task): void {
    settle(task);
    const queued = queue.indexOf(task);
    if (queued !== -1) queue.splice(queued, 1);
    const slot = slots.find((candidate) => candidate.task === task);
    if (slot) {
      slot.task = null;
      options.onWorkerLost?.('cancelled');
      replace(slot, 0);
    }
    task.reject(task.signal.reason);
  }

  function start(): void {
    if (started || closed) return;
    started = true;
    for (let i = 0; i < options.size; i++) slots.push(spawn());
  }

  function refuseAll(tasks: Task[]): void {
    for (const task of tasks) {
      settle(task);
      task.reject(new ExpressionError('expression pool is closed', 'CLOSED'));
    }
  }

  return {
    evaluate(steps, data, { timeoutMs, signal }) {
      if (closed) return Promise.reject(new ExpressionError('expression pool is closed', 'CLOSED'));
      if (signal.aborted) return Promise.reject(signal.reason);
      start();
      return new Promise<unknown[]>((resolve, reject) => {
        const task: Task = { id: nextId++, steps, data, timeoutMs, signal, resolve, reject };
        task.onAbort = () => abort(task);
        signal.addEventListener('abort', task.onAbort, { once: true });
        queue.push(task);
        dispatch();
      });
    },
    async warm() {
      start();
      await Promise.all(slots.map((slot) => slot.loaded));
    },
    async close() {
      closed = true;
      const closing = slots.splice(0, slots.length);
      refuseAll(queue.splice(0, queue.length));
      refuseAll(closing.flatMap((slot) => (slot.task ? [slot.task] : [])));
      await Promise.all(
        closing.map(
          (slot) =>
            new Promise<void>((resolve) => {
              if (slot.child.exitCode !== null || slot.child.signalCode !== null) return resolve();
              slot.child.once('exit', () => resolve());
              busy(slot); // an idle worker is unref'd: keep the loop alive until its exit arrives
              slot.child.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
