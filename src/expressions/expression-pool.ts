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
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_EXPRESSION_LIMITS,
  ExpressionError,
  type ExpressionLimitName,
  type ExpressionLimits,
  timeLimit,
} from '../core/expression-limits.ts';
import type { ExpressionStep } from '../core/expressions.ts';
import type { ExpressionRunner } from '../nodes/node-type.ts';
import type { WorkerReply, WorkerTask } from './expression-worker.ts';

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

interface Slot {
  readonly child: ChildProcess;
  ready: boolean;
  task: Task | null;
  readonly loaded: Promise<void>;
  /** The end of its stderr: what V8 said when it died. */
  stderr: string;
}

/** The in-worker check ends slow expressions cleanly; past this grace the worker is killed. */
const HARD_DEADLINE_GRACE_MS = 100;
const RESPAWN_DELAY_MS = 1000;

/**
 * The compiled worker; in a source checkout (tests, `npm start`) the TypeScript worker bundled with
 * esbuild (a dev dependency there), because loading tsx in every worker costs a second or more of
 * start-up. The bundle is cached in the temp folder under a key of the sources' sizes and times,
 * so the many processes of a test run build it once.
 */
function workerEntry(): string {
  const own = new URL(import.meta.url);
  if (own.pathname.endsWith('.js')) return fileURLToPath(new URL('./expression-worker.js', own));
  const src = fileURLToPath(new URL('..', own));
  const require = createRequire(import.meta.url);
  const key = createHash('sha256');
  for (const dir of ['core', 'expressions']) {
    for (const name of readdirSync(join(src, dir)).sort()) {
      const stat = statSync(join(src, dir, name));
      key.update(`${dir}/${name}:${stat.size}:${stat.mtimeMs};`);
    }
  }
  // Dependency versions (jsonata, re2js) change with the lock file.
  const lock = statSync(join(src, '..', 'package-lock.json'));
  key.update(`lock:${lock.size}:${lock.mtimeMs}`);
  const outfile = join(tmpdir(), `wfc-expression-worker-${key.digest('hex').slice(0, 16)}.mjs`);
  if (existsSync(outfile)) return outfile;
  const esbuild = require('esbuild') as typeof import('esbuild');
  const partial = `${outfile}.${process.pid}.tmp`;
  esbuild.buildSync({
    entryPoints: [join(src, 'expressions', 'expression-worker.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    // jsonata is CommonJS; the ESM bundle gives its require a real one.
    banner: {
      js: "import { createRequire as __wfcRequire } from 'node:module'; const require = __wfcRequire(import.meta.url);",
    },
  });
  renameSync(partial, outfile);
  return outfile;
}

function memoryLimit(memoryMb: number, detail: string): ExpressionError {
  return new ExpressionError(
    `expression limit 'memory' hit: the expression worker died (${detail}); each may use ${memoryMb} MB (EXPRESSION_MEMORY_MB)`,
    'OUT_OF_MEMORY',
    'memory',
  );
}

function deathOf(slot: Slot, code: number | null, signal: NodeJS.Signals | null): string {
  if (/heap out of memory|heap limit/i.test(slot.stderr)) return 'out of memory';
  if (/invalid size|invalid array length|invalid string length/i.test(slot.stderr)) return 'value too large';
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

export function createExpressionPool(options: ExpressionPoolOptions): ExpressionPool {
  if (options.memoryMb > MAX_WORKER_HEAP_MB) throw new Error(`expression worker heap above ${MAX_WORKER_HEAP_MB} MB`);
  const limits = { ...DEFAULT_EXPRESSION_LIMITS, ...options.limits };
  const entry = workerEntry();
  const queue: Task[] = [];
  const slots: Slot[] = [];
  let nextId = 1;
  let started = false;
  let closed = false;

  function spawn(): Slot {
    const child = fork(entry, [], {
      execArgv: [`--max-old-space-size=${options.memoryMb}`, '--stack-size=2000'],
      serialization: 'json',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let markLoaded: () => void = () => undefined;
    const slot: Slot = {
      child,
      ready: false,
      task: null,
      loaded: new Promise((resolve) => {
        markLoaded = resolve;
      }),
      stderr: '',
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString('utf8')).slice(-4096);
    });
    child.on('error', () => undefined); // followed by 'exit', which handles it
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

  // An idle worker does not keep the process alive; one with a task does.
  function idle(slot: Slot): void {
    slot.child.unref();
    (slot.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }
  function busy(slot: Slot): void {
    slot.child.ref();
    (slot.child.channel as { ref?: () => void } | undefined)?.ref?.();
  }

  function replace(slot: Slot, delayMs: number): void {
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
