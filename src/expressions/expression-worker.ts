/**
 * @module expressions/expression-worker
 * One process of the expression pool: evaluates one batch at a time (a node run's steps) and sends
 * back plain results or an error's message, code, limit and step. Everything an expression can do
 * (burn CPU, exhaust the capped heap, hit a fatal V8 error) happens here, where the pool can end
 * it. Leaves with its parent: a server that dies does not leave workers behind.
 */
import { ExpressionError, type ExpressionLimits } from '../core/expression-limits.ts';
import { type ExpressionStep, evaluateSteps } from '../core/expressions.ts';

export interface WorkerTask {
  readonly id: number;
  readonly steps: readonly ExpressionStep[];
  readonly data: unknown;
  readonly limits: ExpressionLimits;
}

export interface WorkerFailure {
  readonly message: string;
  readonly code: string;
  readonly limit?: string;
  readonly step?: number;
}

export type WorkerReply =
  | { readonly ready: true }
  | { readonly id: number; readonly ok: true; readonly results: unknown[] }
  | { readonly id: number; readonly ok: false; readonly error: WorkerFailure };

function send(reply: WorkerReply): void {
  process.send?.(reply);
}

if (!process.send) throw new Error('expression-worker runs as a child process of the pool (with an IPC channel)');

process.on('message', async (task: WorkerTask) => {
  try {
    send({ id: task.id, ok: true, results: await evaluateSteps(task.steps, task.data, task.limits) });
  } catch (error) {
    const failure =
      error instanceof ExpressionError
        ? error
        : new ExpressionError((error as Error)?.message ?? String(error), 'ERROR');
    const { message, code, limit, step } = failure;
    send({ id: task.id, ok: false, error: { message, code, limit, step } });
  }
});
process.on('disconnect', () => process.exit(0));
send({ ready: true });
