/**
 * @module app-module
 * What a feature hands the composition root: its routes, what it starts and stops, its health
 * checks. Each feature (src/features: executions, webhooks, events, gRPC, schedules, retention)
 * is one factory over the shared AppContext; what one feature needs from another it takes as a
 * named argument, and what it offers it returns beside its module (e.g. the events feature's
 * dispatcher, which app.ts hands to the gRPC feature).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Authenticator } from './auth/jwt.ts';
import type { Config } from './config.ts';
import type { Route } from './http/route.ts';
import type { HealthCheck } from './http/routes/system.ts';
import type { Metrics } from './metrics.ts';
import type { ExecutionAccess, ExecutionStarter, ExecutionWatcher } from './services/execution-types.ts';
import type { WorkflowLifecycle } from './services/workflow-lifecycle.ts';
import type { WorkflowService } from './services/workflows.ts';
import type { DatabaseHandle } from './store/connect.ts';

export interface AppContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
  readonly metrics: Metrics;
  readonly authenticator: Authenticator;
  readonly lifecycle: WorkflowLifecycle;
  readonly workflows: WorkflowService;
  readonly executions: ExecutionStarter & ExecutionWatcher & ExecutionAccess;
  /** One shared connection when REDIS_URL is set (rate limits, cooldowns); closed by the app. */
  readonly redis: Redis | undefined;
  /** serve: true (scheduler, and workers without Redis); false for an API-only app in some tests. */
  readonly background: boolean;
  /** This process runs execution workers: serve without REDIS_URL, or the `worker` command. */
  readonly workers: boolean;
}

export interface AppModule {
  readonly name: string;
  readonly routes?: readonly Route[];
  readonly checks?: readonly HealthCheck[];
  /** After the HTTP server is built and before it listens. */
  start?(): Promise<void>;
  /** In reverse order of start, on shutdown. */
  stop?(): Promise<void>;
}
