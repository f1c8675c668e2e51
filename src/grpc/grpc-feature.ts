/**
 * @module grpc/grpc-feature
 * The gRPC door as an app feature: serves on `config.grpcPort` from start to stop, over the
 * executions service and the events dispatcher other features registered. The bound port is
 * logged as `{"grpc_port": N}` and shared as `services.get('grpcPort')`.
 */
import type { AppModuleFactory } from '../app-module.ts';
import type { EventDispatcher } from '../services/event-dispatcher.ts';
import { EVENTS_SERVICE } from '../services/events-feature.ts';
import type { ExecutionService } from '../services/executions.ts';
import { createGrpcServer, type GrpcServer } from './server.ts';

export const GRPC_PORT_SERVICE = 'grpcPort';

function required<T>(services: Map<string, unknown>, name: string): T {
  const service = services.get(name);
  if (!service) throw new Error(`the gRPC feature needs the "${name}" service; list its feature before grpcFeature`);
  return service as T;
}

export const grpcFeature: AppModuleFactory = (context) => {
  const { config, logger } = context;
  let server: GrpcServer | null = null;
  return {
    name: 'grpc',
    async start() {
      server = createGrpcServer({
        authenticator: context.authenticator,
        workflows: context.workflows,
        executions: required<ExecutionService>(context.services, 'executions'),
        dispatcher: required<EventDispatcher>(context.services, EVENTS_SERVICE),
        logger,
        maxMessageBytes: config.bodyLimitBytes,
        lagLimitBytes: config.streamLagLimitBytes,
      });
      const port = await server.listen(config.host, config.grpcPort);
      context.services.set(GRPC_PORT_SERVICE, port);
      logger.info({ grpc_port: port }, `gRPC listening on ${config.host}:${port}`);
    },
    async stop() {
      await server?.close();
      server = null;
    },
  };
};
