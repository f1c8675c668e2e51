/**
 * @module features/webhooks
 * The webhooks feature for the composition root: the rate limiter (Redis when REDIS_URL is set,
 * else memory), the trigger, the management service, statistics batching and the routes.
 */
import type { AppContext, AppModule } from '../app-module.ts';
import { route } from '../http/route.ts';
import { webhookRoutes } from '../http/routes/webhooks.ts';
import { IDEMPOTENCY_TTL_MS } from '../services/webhook-idempotency.ts';
import { createStatisticsBatcher, type StatisticsBatcher } from '../services/webhook-statistics.ts';
import { createWebhookTrigger, type WebhookTrigger } from '../services/webhook-trigger.ts';
import { createWebhookService, type WebhookService } from '../services/webhooks.ts';
import { deleteExpiredIdempotencyKeys } from '../store/webhooks-repository.ts';
import { createMemoryRateLimiter } from '../webhooks/memory-rate-limiter.ts';
import type { RateLimiter } from '../webhooks/rate-limiter.ts';
import { createRedisRateLimiter } from '../webhooks/redis-rate-limiter.ts';

export interface WebhooksFeatureOptions {
  /** Replaces the limiter REDIS_URL would choose (tests run both implementations). */
  readonly limiter?: RateLimiter;
  readonly statisticsIntervalMs?: number;
}

export interface WebhooksFeature extends AppModule {
  readonly service: WebhookService;
  readonly trigger: WebhookTrigger;
  readonly statistics: StatisticsBatcher;
}

export function webhooksFeature(context: AppContext, options: WebhooksFeatureOptions = {}): WebhooksFeature {
  const { config, logger, database, executions } = context;
  const limiter =
    options.limiter ??
    (context.redis
      ? createRedisRateLimiter({ redis: context.redis, keyPrefix: 'wfc:ratelimit:webhook:' })
      : createMemoryRateLimiter());
  const statistics = createStatisticsBatcher(database.db, logger);
  const trigger = createWebhookTrigger({
    db: database.db,
    executions,
    limiter,
    logger,
    metrics: context.metrics,
    recordTrigger: statistics.record,
    signatureFailuresPerMinute: config.webhookSignatureFailures,
  });
  const service = createWebhookService({
    db: database.db,
    publicBaseUrl: config.publicBaseUrl,
    statistics,
    invalidateToken: trigger.invalidateToken,
  });
  // Publish changes which trigger nodes run; archive makes the webhooks answer 404.
  context.lifecycle.subscribe({
    afterPublished: ({ workflow }) => trigger.invalidateWorkflow(workflow.workflow_id),
    afterArchived: (workflow) => trigger.invalidateWorkflow(workflow.workflow_id),
  });

  let timer: NodeJS.Timeout | undefined;
  let ticks = 0;
  const expireKeys = () =>
    deleteExpiredIdempotencyKeys(database.db, new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString());
  return {
    name: 'webhooks',
    service,
    trigger,
    statistics,
    routes: [
      route(webhookRoutes, {
        service,
        trigger,
        bodyLimitBytes: config.bodyLimitBytes,
        trustProxy: config.trustProxy,
        logger,
      }),
    ],
    async start() {
      timer = setInterval(() => {
        void statistics.flush();
        // Expired idempotency keys go once every ten minutes (and at the first tick).
        if (ticks++ % 600 === 0)
          expireKeys().catch((error: unknown) => logger.warn({ err: error }, 'idempotency key cleanup failed'));
      }, options.statisticsIntervalMs ?? 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await statistics.flush();
      trigger.clearCache();
      await limiter.close();
    },
  };
}
