/**
 * @module expressions/worker-process
 * One worker process of the expression pool: forking it with its heap cap, the tail of its stderr,
 * whether it keeps the event loop alive, and what its death means (the memory limit, or a crash).
 * Apart from expression-pool.ts, which queues tasks onto these workers and enforces deadlines.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { ExpressionError } from '../core/expression-limits.ts';

export interface Slot<T> {
  readonly child: ChildProcess;
  ready: boolean;
  task: T | null;
  readonly loaded: Promise<void>;
  /** The end of its stderr: what V8 said when it died. */
  stderr: string;
}

/** Forks one worker with the heap cap; `markLoaded` is for the owner to call on its 'ready'. */
export function forkSlot<T>(entry: string, memoryMb: number): { slot: Slot<T>; markLoaded: () => void } {
  const child = fork(entry, [], {
    execArgv: [`--max-old-space-size=${memoryMb}`, '--stack-size=2000'],
    serialization: 'json',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let markLoaded: () => void = () => undefined;
  const slot: Slot<T> = {
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
  return { slot, markLoaded };
}

// An idle worker does not keep the process alive; one with a task does.
export function idle(slot: Slot<unknown>): void {
  slot.child.unref();
  (slot.child.channel as { unref?: () => void } | undefined)?.unref?.();
}
export function busy(slot: Slot<unknown>): void {
  slot.child.ref();
  (slot.child.channel as { ref?: () => void } | undefined)?.ref?.();
}

export function memoryLimit(memoryMb: number, detail: string): ExpressionError {
  return new ExpressionError(
    `expression limit 'memory' hit: the expression worker died (${detail}); each may use ${memoryMb} MB (EXPRESSION_MEMORY_MB)`,
    'OUT_OF_MEMORY',
    'memory',
  );
}

export function deathOf(slot: Slot<unknown>, code: number | null, signal: NodeJS.Signals | null): string {
  if (/heap out of memory|heap limit/i.test(slot.stderr)) return 'out of memory';
  if (/invalid size|invalid array length|invalid string length/i.test(slot.stderr)) return 'value too large';
  return signal ? `signal ${signal}` : `exit code ${code}`;
}
