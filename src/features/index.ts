/**
 * @module features/index
 * The features of a process, each once, in start order (stop runs in reverse); what one needs of
 * another is passed by name. A `worker` process has the executions feature only.
 */
import type { AppContext, AppModule } from '../app-module.ts';
import type { ExecutionService } from '../services/executions.ts';
import { type EventsFeature, eventsFeature } from './events.ts';
import { executionsFeature } from './executions.ts';
import { type GrpcFeature, grpcFeature } from './grpc.ts';
import { type RetentionFeature, retentionFeature } from './retention.ts';
import { schedulesFeature } from './schedules.ts';
import { type WebhooksFeature, webhooksFeature } from './webhooks.ts';

/** What the features of a serving process export, by feature. */
export interface ServeFeatures {
  readonly webhooks: WebhooksFeature;
  readonly events: EventsFeature;
  readonly grpc: GrpcFeature;
  readonly retention: RetentionFeature;
}

/** A `worker` process has the executions feature only, which exports nothing. */
export type WorkerFeatures = Record<string, never>;

export function buildFeatures(
  context: AppContext,
  executions: ExecutionService,
  workerOnly: boolean,
): { modules: AppModule[]; features: ServeFeatures | WorkerFeatures } {
  const modules: AppModule[] = [executionsFeature(context, executions)];
  if (workerOnly) return { modules, features: {} };
  const webhooks = webhooksFeature(context);
  const schedules = schedulesFeature(context);
  const events = eventsFeature(context);
  const grpc = grpcFeature(context, { executions, dispatcher: events.dispatcher });
  const retention = retentionFeature(context);
  modules.push(webhooks, schedules, events, grpc, retention);
  return { modules, features: { webhooks, events, grpc, retention } };
}
