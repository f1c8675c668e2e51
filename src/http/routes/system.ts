/**
 * @module http/routes/system
 * Health, module status, Prometheus metrics, the OpenAPI document and the node catalog.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listNodeTypes } from '../../nodes/registry.ts';
import { ok } from '../envelope.ts';
import type { Metrics } from '../metrics.ts';

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
}

const PING_TIMEOUT_MS = 2000;

async function probe(check: HealthCheck): Promise<{ healthy: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), PING_TIMEOUT_MS);
      }),
    ]);
    return { healthy: true };
  } catch (error) {
    return { healthy: false, error: (error as Error).message.slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}

export const systemRoutes: FastifyPluginAsyncTypebox<SystemRoutesOptions> = async (app, options) => {
  const publicAccess = { access: { kind: 'public' } } as const;

  app.get('/health', { config: publicAccess, schema: { tags: ['system'] } }, async (_request, reply) => {
    const results = await Promise.all(options.checks.map(async (check) => [check.name, await probe(check)] as const));
    const healthy = results.every(([, result]) => result.healthy);
    reply.status(healthy ? 200 : 503);
    return {
      success: healthy,
      data: { healthy, module: MODULE_NAME, checks: Object.fromEntries(results) },
    };
  });

  app.get('/api/v1/status', { config: publicAccess, schema: { tags: ['system'] } }, async () =>
    ok({
      status: 'operational',
      module: MODULE_NAME,
      version: MODULE_VERSION,
      features: { workflows_enabled: true, release_mode: options.releaseMode },
    }),
  );

  app.get('/metrics', { config: publicAccess, schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });

  app.get('/docs', { config: publicAccess, schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/api/v1/workflows/node-types',
    { config: { access: { kind: 'authenticated' } }, schema: { tags: ['workflows'] } },
    async () => ok(listNodeTypes()),
  );
};
