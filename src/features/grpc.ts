/**
 * @module features/grpc
 * The gRPC door as an app feature: serves on `config.grpcPort` from start to stop, over the
 * executions service and the events dispatcher the composition root hands it. The bound port is
 * logged as `{"grpc_port": N}` and exported as `port()`.
 */
import type { AppContext, AppModule } from '../app-module.ts';
import { createGrpcServer, type GrpcServer } from '../grpc/server.ts';
import type { EventDispatcher } from '../services/event-dispatcher.ts';
import type { ExecutionService } from '../services/executions.ts';

export interface GrpcFeatureDeps {
  readonly executions: ExecutionService;
  readonly dispatcher: EventDispatcher;
}

export interface GrpcFeature extends AppModule {
  /** The port bound at start (the configured one, or the one the system chose for port 0). */
  port(): number;
}

export function grpcFeature(context: AppContext, deps: GrpcFeatureDeps): GrpcFeature {
  const { config, logger } = context;
  let server: GrpcServer | null = null;
  let bound: number | undefined;
  return {
    name: 'grpc',
    port() {
      if (bound === undefined) throw new Error('the gRPC server has not started');
      return bound;
    },
    async start() {
      server = createGrpcServer({
        authenticator: context.authenticator,
        workflows: context.workflows,
        executions: deps.executions,
        dispatcher: deps.dispatcher,
        logger,
        maxMessageBytes: config.bodyLimitBytes,
        lagLimitBytes: config.streamLagLimitBytes,
      });
      bound = await server.listen(config.host, config.grpcPort);
      logger.info({ grpc_port: bound }, `gRPC listening on ${config.host}:${bound}`);
    },
    async stop() {
      await server?.close();
      server = null;
    },
  };
}
