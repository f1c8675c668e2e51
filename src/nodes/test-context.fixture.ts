/**
 * @module nodes/test-context.fixture
 * A small in-memory NodeContext for unit tests (ours and other engineers'): variables in a plain
 * object, deliveries, HTTP requests, sleeps and logs recorded for assertions, handlers pluggable.
 */
import { DEFAULT_EXPRESSION_LIMITS } from '../core/expression-limits.ts';
import { evaluateSteps } from '../core/expressions.ts';
import { getPath, hasPath, setPath } from '../core/paths.ts';
import type {
  DeliveryKind,
  DeliveryResult,
  ExpressionRunner,
  NodeContext,
  NodeResult,
  OutboundRequest,
  OutboundResponse,
  VariableScope,
} from './node-type.ts';
import { getNodeType } from './registry.ts';

export interface SentDelivery {
  readonly kind: DeliveryKind;
  readonly payload: Record<string, unknown>;
  readonly timeoutMs: number;
}

export interface TestContextOptions {
  readonly variables?: Record<string, unknown>;
  readonly nodeId?: string;
  readonly entityId?: number | null;
  readonly communityId?: number | null;
  readonly testMode?: boolean;
  readonly signal?: AbortSignal;
  readonly now?: Date;
  readonly limits?: Partial<NodeContext['limits']>;
  /** Default: evaluated in this thread (inlineExpressions). */
  readonly expressions?: ExpressionRunner;
  /** Default: recorded in the outbox only (`delivered: false`). */
  readonly deliver?: (kind: DeliveryKind, payload: Record<string, unknown>) => Promise<DeliveryResult> | DeliveryResult;
  /** Default: throws, so a test that makes a request must say what it answers. */
  readonly http?: (request: OutboundRequest) => Promise<OutboundResponse> | OutboundResponse;
}

export interface TestContext {
  readonly ctx: NodeContext;
  /** The live variables (what the scope reads and writes). */
  readonly variables: Record<string, unknown>;
  readonly logs: string[];
  readonly sent: SentDelivery[];
  readonly requests: OutboundRequest[];
  readonly sleeps: number[];
}

/**
 * Expressions evaluated in this thread, on a copy of the data as the pool's workers see it: for
 * unit tests only (no memory cap, no hard deadline). The service uses expressions/expression-pool.
 */
export const inlineExpressions: ExpressionRunner = {
  evaluate(steps, data, { timeoutMs }) {
    return evaluateSteps(steps, structuredClone(data), { ...DEFAULT_EXPRESSION_LIMITS, timeoutMs });
  },
};

/** A VariableScope over a plain object; `set` takes a path. */
export function createMemoryScope(variables: Record<string, unknown>): VariableScope {
  return {
    get: (path) => getPath(variables, path),
    has: (path) => hasPath(variables, path),
    set: (name, value) => setPath(variables, name, value),
    snapshot: () => variables,
  };
}

export function createTestContext(options: TestContextOptions = {}): TestContext {
  const variables = structuredClone(options.variables ?? {});
  const logs: string[] = [];
  const sent: SentDelivery[] = [];
  const requests: OutboundRequest[] = [];
  const sleeps: number[] = [];
  const signal = options.signal ?? new AbortController().signal;
  const ctx: NodeContext = {
    executionId: 'exec-test',
    workflowId: 'workflow-test',
    nodeId: options.nodeId ?? 'node-test',
    entityId: options.entityId === undefined ? 7 : options.entityId,
    communityId: options.communityId === undefined ? 9 : options.communityId,
    testMode: options.testMode ?? false,
    signal,
    scope: createMemoryScope(variables),
    limits: { maxLoopIterations: 1000, expressionTimeoutMs: 1000, ...options.limits },
    expressions: options.expressions ?? inlineExpressions,
    delivery: {
      async send(kind, payload, { timeoutMs }) {
        sent.push({ kind, payload, timeoutMs });
        return options.deliver ? options.deliver(kind, payload) : { delivered: false };
      },
    },
    http: {
      async request(request) {
        requests.push(request);
        if (!options.http) throw new Error('test context: no http handler given');
        return options.http(request);
      },
    },
    log: (message) => logs.push(message),
    now: () => options.now ?? new Date('2025-01-01T00:00:00Z'),
    async sleep(ms) {
      if (signal.aborted) throw new DOMException('The operation was aborted', 'AbortError');
      sleeps.push(ms);
    },
  };
  return { ctx, variables, logs, sent, requests, sleeps };
}

/** Runs a node type from the registry (defaults applied, as the engine would). */
export async function runNode(
  type: string,
  config: Record<string, unknown>,
  context: TestContext = createTestContext(),
  input: unknown = null,
): Promise<NodeResult> {
  const node = getNodeType(type);
  if (!node) throw new Error(`unknown node type '${type}'`);
  return node.execute(config, input, context.ctx);
}
