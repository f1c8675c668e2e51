/**
 * @module app-module
 * What a feature hands the composition root: its routes, what it starts and stops, its health
 * checks. Each feature (executions, webhooks, events, gRPC, scheduler) is one factory over the
 * shared AppContext, listed once in app.ts.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Authenticator } from './http/auth.ts';
import type { Metrics } from './http/metrics.ts';
import type { HealthCheck } from './http/routes/system.ts';
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
  /** Services other modules exported, by name (e.g. the executions service for gRPC). */
  readonly services: Map<string, unknown>;
}

export interface RouteModule {
  readonly plugin: FastifyPluginAsync<never>;
  readonly options: unknown;
}

export interface AppModule {
  readonly name: string;
  readonly routes?: readonly RouteModule[];
  readonly checks?: readonly HealthCheck[];
  /** After the HTTP server is built and before it listens. */
  start?(): Promise<void>;
  /** In reverse order of start, on shutdown. */
  stop?(): Promise<void>;
}

export type AppModuleFactory = (context: AppContext) => AppModule | Promise<AppModule>;
