/**
 * @module engine/run.fixture
 * Compact builders for engine tests and the benchmark: a workflow from `{id: [type, config]}` and
 * edges written `"a -> b"` / `"a:port -> b"` (core/edges.fixture), and EngineDeps with recording delivery/HTTP, a
 * deterministic random and the default limits (each overridable).
 */
import { parseEdge } from '../core/edges.fixture.ts';
import type { Connection, WorkflowDefinition, WorkflowNode, WorkflowSettings } from '../core/workflow.ts';
import type { DeliveryKind, ExpressionRunner, OutboundRequest, OutboundResponse } from '../nodes/node-type.ts';
import { inlineExpressions } from '../nodes/test-context.fixture.ts';
import { createFakeNodeTypes } from './fake-nodes.fixture.ts';
import { DEFAULT_ENGINE_LIMITS, type EngineDeps, type EngineLimits, type ExecutionRequest } from './types.ts';

export type NodeSpec = readonly [type: string, config?: Record<string, unknown>, extra?: Partial<WorkflowNode>];

export function workflow(
  nodes: Record<string, NodeSpec>,
  edges: readonly string[],
  options: { readonly settings?: WorkflowSettings; readonly globals?: Record<string, unknown> } = {},
): WorkflowDefinition {
  const built: Record<string, WorkflowNode> = {};
  for (const [id, [type, config, extra]] of Object.entries(nodes)) {
    built[id] = { node_type: type, config: config ?? {}, ...extra };
  }
  const connections: Connection[] = edges.map((edge, index) => ({ connection_id: `c${index}`, ...parseEdge(edge) }));
  return { nodes: built, connections, global_variables: options.globals ?? {}, settings: options.settings ?? {} };
}

export interface FakeDeps extends EngineDeps {
  readonly journal: string[];
  readonly sent: { kind: DeliveryKind; payload: Record<string, unknown> }[];
  readonly requests: OutboundRequest[];
}

export interface FakeDepsOptions {
  readonly limits?: Partial<EngineLimits>;
  readonly http?: (request: OutboundRequest) => Promise<OutboundResponse>;
  readonly random?: () => number;
  readonly recorder?: EngineDeps['recorder'];
  readonly nodeTypes?: EngineDeps['nodeTypes'];
  /** Default: evaluated in this thread. */
  readonly expressions?: ExpressionRunner;
}

export function fakeDeps(options: FakeDepsOptions = {}): FakeDeps {
  const fakes = createFakeNodeTypes();
  const sent: FakeDeps['sent'] = [];
  const requests: OutboundRequest[] = [];
  return {
    nodeTypes: options.nodeTypes ?? fakes.nodeTypes,
    journal: fakes.journal,
    sent,
    requests,
    delivery: {
      async send(kind, payload) {
        sent.push({ kind, payload });
        return { delivered: true, status: 200 };
      },
    },
    http: {
      async request(request) {
        requests.push(request);
        if (options.http) return options.http(request);
        return { status: 200, headers: {}, body: { ok: true } };
      },
    },
    expressions: options.expressions ?? inlineExpressions,
    clock: { now: () => new Date() },
    limits: { ...DEFAULT_ENGINE_LIMITS, ...options.limits },
    recorder: options.recorder,
    random: options.random ?? (() => 0.5),
  };
}

let counter = 0;

export function request(definition: WorkflowDefinition, extra: Partial<ExecutionRequest> = {}): ExecutionRequest {
  counter++;
  return {
    executionId: `exec-${counter}`,
    workflowId: 'wf-1',
    entityId: 1,
    communityId: 2,
    definition,
    ...extra,
  };
}
