/**
 * @module grpc/server
 * The gRPC listener: `WorkflowService` plus server reflection (so `grpcurl` can list and call
 * it), bound on HOST:GRPC_PORT (0 picks a free port; the bound one is answered and logged).
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { createGrpcHandlers, type GrpcHandlerDeps } from './handlers.ts';
import { loadWorkflowProto } from './proto.ts';

export interface GrpcServer {
  /** Binds and serves; answers the port actually bound. */
  listen(host: string, port: number): Promise<number>;
  /** Lets calls in flight finish for up to `graceMs`, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

function address(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function createGrpcServer(deps: GrpcHandlerDeps & { readonly maxMessageBytes?: number }): GrpcServer {
  const proto = loadWorkflowProto();
  // The same bound as a REST body (BODY_LIMIT_BYTES): an event or execute request is no larger here.
  const server = new Server({ 'grpc.max_receive_message_length': deps.maxMessageBytes ?? 4 * 1024 * 1024 });
  server.addService(proto.service, createGrpcHandlers(deps));
  new ReflectionService(proto.definition).addToServer(server);

  return {
    listen(host, port) {
      return new Promise((resolve, reject) => {
        server.bindAsync(address(host, port), ServerCredentials.createInsecure(), (error, bound) =>
          error ? reject(error) : resolve(bound),
        );
      });
    },
    async close(graceMs = 5_000) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
