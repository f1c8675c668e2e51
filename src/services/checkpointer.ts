/**
 * @module services/checkpointer
 * When a run's checkpoint is stored. Always at once after a node whose effect left the process
 * (an HTTP call; a delivery when a router is configured, not one that only lands in the run's own
 * outbox), after a delay (costly to repeat) and after a failure, so a restart never repeats them.
 * Other progress is stored at most every 100 ms, by a timer if no later node comes to carry it
 * (say the next node is a long delay), so a crash repeats at most ~100 ms of work that had no
 * effect outside the run, and a 10,000-item loop does not write 10,000 checkpoints.
 * Each checkpoint is written under the run's lease; one refused means the lease moved on to
 * another worker, and `onLeaseLost` stops the run here.
 */
import type { Logger } from 'pino';
import type { NodeState } from '../engine/index.ts';
import { getNodeType } from '../nodes/registry.ts';
import type { ProgressWriter } from '../store/progress-writer.ts';

export const CHECKPOINT_INTERVAL_MS = 100;
/** A large run state makes checkpoints costly: space them so they stay a small share of the run. */
const COST_FACTOR = 20;

export interface CheckpointerOptions {
  readonly executionId: string;
  /** The lease epoch this process claimed the run under. */
  readonly epoch: number;
  readonly writes: ProgressWriter;
  /** A checkpoint was refused: another worker holds the run now. */
  readonly onLeaseLost: () => void;
  /** A router is configured: deliveries leave the process. */
  readonly deliveriesLeave: boolean;
  readonly logger: Logger;
}

export interface Checkpointer {
  /** After each node; resolves once a checkpoint that had to be stored now is committed. */
  nodeFinished(state: Readonly<NodeState>, checkpointJson: () => string): Promise<void> | undefined;
  stop(): void;
}

/** What a restart must not repeat: an effect that left the process, a costly run, a failure. */
function storeAtOnce(state: Readonly<NodeState>, deliveriesLeave: boolean): boolean {
  const type = getNodeType(state.node_type);
  if (!type || state.status === 'failed' || type.effect === 'external' || type.costlyToRepeat) return true;
  return type.effect === 'outbox' && deliveriesLeave;
}

export function createCheckpointer(options: CheckpointerOptions): Checkpointer {
  const { executionId, epoch, writes, logger } = options;
  // The run starts from a stored row, so its first nodes need no checkpoint of their own.
  let lastMs = Date.now();
  let costMs = 0;
  let timer: NodeJS.Timeout | undefined;
  let latest: (() => string) | undefined;

  function take(checkpointJson: () => string): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    lastMs = Date.now();
    const started = performance.now();
    // The checkpoint holds the node states and path too; reads of a running execution use it.
    let json: string;
    try {
      json = checkpointJson();
    } catch (error) {
      // A variable no JSON can hold (nested past the stack) must not end the run: a restart
      // resumes from the last checkpoint that could be stored.
      logger.warn({ err: error, execution_id: executionId }, 'a checkpoint could not be built; keeping the last one');
      return Promise.resolve();
    }
    costMs = performance.now() - started;
    return writes.write(executionId, epoch, { checkpoint: json, updated_at: new Date().toISOString() }).then((held) => {
      if (!held) options.onLeaseLost();
    });
  }

  return {
    nodeFinished(state, checkpointJson) {
      latest = checkpointJson;
      if (storeAtOnce(state, options.deliveriesLeave)) return take(checkpointJson);
      const dueIn = lastMs + Math.max(CHECKPOINT_INTERVAL_MS, costMs * COST_FACTOR) - Date.now();
      if (dueIn <= 0) return take(checkpointJson);
      timer ??= setTimeout(() => {
        timer = undefined;
        if (latest) {
          take(latest).catch((error: unknown) =>
            logger.warn({ err: error, execution_id: executionId }, 'storing a checkpoint failed'),
          );
        }
      }, dueIn);
      return undefined;
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      latest = undefined;
    },
  };
}
