/**
 * @module http/routes/system
 * Health, module status, Prometheus metrics and the node catalog.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Metrics } from '../../metrics.ts';
import { listNodeTypes, NodeTypeInfoSchema } from '../../nodes/registry.ts';
import type { QueueStatus } from '../../queue/worker-watch.ts';
import { Envelope, ok } from '../envelope.ts';
import { singleFlight } from '../single-flight.ts';

export const MODULE_NAME = 'workflow_core_module';
export const MODULE_VERSION = '1.0.0';

export interface HealthCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface SystemRoutesOptions {
  readonly metrics: Metrics;
  readonly checks: readonly HealthCheck[];
  readonly releaseMode: boolean;
  readonly queueStatus: () => Promise<QueueStatus>;
}

const PING_TIMEOUT_MS = 2000;

const Check = Type.Object(
  { healthy: Type.Boolean(), error: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
const healthFields = {
  success: Type.Boolean(),
  data: Type.Object(
    {
      healthy: Type.Boolean(),
      module: Type.String(),
      checks: Type.Record(Type.String(), Check, { description: 'database, and redis when REDIS_URL is set' }),
    },
    { additionalProperties: false },
  ),
};
const HealthAnswer = Type.Object(healthFields, {
  additionalProperties: false,
  description: 'Every dependency answers',
});
const UnhealthyAnswer = Type.Object(healthFields, {
  additionalProperties: false,
  description: 'A dependency is down (`success` and `healthy` are false; `checks` says which)',
});
const StatusAnswer = Envelope(
  Type.Object(
    {
      status: Type.String(),
      module: Type.String(),
      version: Type.String(),
      features: Type.Object(
        { workflows_enabled: Type.Boolean(), release_mode: Type.Boolean() },
        { additionalProperties: true },
      ),
      queue: Type.Object(
        {
          backend: Type.Union([Type.Literal('local'), Type.Literal('redis')], {
            description: '`local`: this process runs executions; `redis`: `worker` processes do (REDIS_URL)',
          }),
          waiting: Type.Union([Type.Integer(), Type.Null()], { description: 'jobs waiting to start' }),
          running: Type.Union([Type.Integer(), Type.Null()], { description: 'jobs running now' }),
          workers: Type.Union([Type.Integer(), Type.Null()], {
            description:
              'live workers taking jobs; 0 with jobs waiting means nothing runs them (start `workflow-core worker`); null when the queue did not answer',
          }),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: true },
  ),
  'The module and its features',
);
const NodeTypesAnswer = Envelope(Type.Array(NodeTypeInfoSchema), 'Every node type');
const MetricsText = {
  description: 'Prometheus text exposition',
  content: { 'text/plain': { schema: Type.String() } },
};

/** `work`, or a rejection "timed out" after `ms`: a dependency that hangs must not hang the answer. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** `check` is bounded by the ping timeout already (the shared look below). */
async function probe(check: HealthCheck): Promise<{ healthy: boolean; error?: string }> {
  try {
    await check.check();
    return { healthy: true };
  } catch (error) {
    return { healthy: false, error: (error as Error).message.slice(0, 200) };
  }
}

/** `status` is bounded by the ping timeout already (the shared look below). */
async function queueAnswer(status: () => Promise<QueueStatus>) {
  try {
    const found = await status();
    return { backend: found.queue, waiting: found.waiting, running: found.running, workers: found.workers };
  } catch {
    // An unreachable Redis is /health's to report; the status still answers.
    return { backend: 'redis' as const, waiting: null, running: null, workers: null };
  }
}

export const systemRoutes: FastifyPluginAsyncTypebox<SystemRoutesOptions> = async (app, options) => {
  const publicAccess = { access: { kind: 'public' } } as const;
  // Bounded inside the shared look: one that never settles must not hold every later caller.
  const checks = options.checks.map((check) => ({
    name: check.name,
    check: singleFlight(() => within(check.check(), PING_TIMEOUT_MS)),
  }));
  const queueStatus = singleFlight(() => within(options.queueStatus(), PING_TIMEOUT_MS));

  app.get(
    '/health',
    {
      config: publicAccess,
      schema: {
        tags: ['system'],
        summary: 'Health check',
        description: 'Pings the database (and Redis when configured); 503 when one is down.',
        response: { 200: HealthAnswer, 503: UnhealthyAnswer },
      },
    },
    async (_request, reply) => {
      const results = await Promise.all(checks.map(async (check) => [check.name, await probe(check)] as const));
      const healthy = results.every(([, result]) => result.healthy);
      reply.status(healthy ? 200 : 503);
      return {
        success: healthy,
        data: { healthy, module: MODULE_NAME, checks: Object.fromEntries(results) },
      };
    },
  );

  app.get(
    '/api/v1/status',
    {
      config: publicAccess,
      schema: { tags: ['system'], summary: 'Module status', response: { 200: StatusAnswer } },
    },
    async () =>
      ok({
        status: 'operational',
        module: MODULE_NAME,
        version: MODULE_VERSION,
        features: { workflows_enabled: true, release_mode: options.releaseMode },
        queue: await queueAnswer(queueStatus),
      }),
  );

  app.get(
    '/metrics',
    {
      config: publicAccess,
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics',
        description:
          'HTTP latency histograms by route, executions by status, node runs by type, queue depth, webhook outcomes.',
        response: { 200: MetricsText },
      },
    },
    async (_request, reply) => {
      reply.header('content-type', options.metrics.registry.contentType);
      return options.metrics.registry.metrics();
    },
  );

  app.get(
    '/api/v1/workflows/node-types',
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags: ['workflows'],
        summary: 'The node catalog',
        description:
          'Every node type with its config JSON Schema (defaults included), input and output ports, `output_schema` (what it writes to `nodes.<id>.output`) and `examples` (valid configs). docs/nodes.md in the repository is generated from the same catalog.',
        response: { 200: NodeTypesAnswer },
      },
    },
    async () => ok(listNodeTypes()),
  );
};
