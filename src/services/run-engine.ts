/**
 * @module services/run-engine
 * What the engine reaches the world through, one set per process: guarded outbound HTTP, the
 * router delivery, the expression worker pool, the clock, and the limits from the configuration.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { createGuardedHttpClient } from '../delivery/guarded-http.ts';
import { createDelivery } from '../delivery/router-client.ts';
import { DEFAULT_ENGINE_LIMITS, type EngineDeps } from '../engine/index.ts';
import { createExpressionPool } from '../expressions/expression-pool.ts';
import { getNodeType } from '../nodes/registry.ts';

export function createEngineDeps(config: Config, logger: Logger) {
  const http = createGuardedHttpClient({ allowPrivateNetwork: config.allowPrivateNetwork });
  // The engine records every send in the execution's outbox itself.
  const delivery = createDelivery({ routerUrl: config.routerUrl, outbox: () => {} });
  const expressions = createExpressionPool({
    size: config.expressionWorkers,
    memoryMb: config.expressionMemoryMb,
    limits: {
      maxSequenceLength: config.expressionSequenceLimit,
      maxResultBytes: config.expressionResultLimitBytes,
    },
    onWorkerLost: (reason) => logger.warn({ reason }, 'expression worker replaced'),
  });
  const engineDeps: Omit<EngineDeps, 'recorder'> = {
    nodeTypes: getNodeType,
    delivery,
    http,
    expressions,
    clock: { now: () => new Date() },
    limits: {
      ...DEFAULT_ENGINE_LIMITS,
      workflowTimeoutMs: config.workflowTimeoutSeconds * 1000,
      maxLoopIterations: config.maxLoopIterations,
      maxTotalOperations: config.maxTotalOperations,
      maxLoopDepth: config.maxLoopDepth,
      maxParallelNodes: config.maxParallelNodes,
      expressionTimeoutMs: config.expressionTimeoutMs,
    },
  };
  return {
    engineDeps,
    /** Before the first run: no run waits for an expression worker to load. */
    warm: () => expressions.warm(),
    close: () => Promise.allSettled([http.close(), delivery.close(), expressions.close()]),
  };
}
