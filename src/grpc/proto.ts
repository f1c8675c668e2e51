/**
 * @module grpc/proto
 * Loads `proto/workflow.proto` the one way server and clients share: snake_case field names as
 * on the wire (keepCase), int64 as numbers, defaults filled in, Struct values as oneofs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type GrpcObject,
  loadPackageDefinition,
  type ServiceClientConstructor,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';

export const LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  objects: true,
  oneofs: true,
};

export const SERVICE_NAME = 'waddlebot.workflow.WorkflowService';

/** The proto file, from the source tree (tsx) or from the compiled build one level deeper. */
export function protoPath(): string {
  const candidates = [
    join(import.meta.dirname, '..', '..', 'proto'),
    join(import.meta.dirname, '..', '..', '..', 'proto'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'workflow.proto')));
  return join(found ?? candidates[0], 'workflow.proto');
}

export interface WorkflowProto {
  readonly definition: PackageDefinition;
  readonly service: ServiceDefinition;
  /** A client class for tests, benchmarks and tools. */
  readonly Client: ServiceClientConstructor;
}

let cached: WorkflowProto | undefined;

export function loadWorkflowProto(): WorkflowProto {
  if (cached) return cached;
  const definition = loadSync(protoPath(), LOADER_OPTIONS);
  const root = loadPackageDefinition(definition) as GrpcObject;
  const Client = ((root.waddlebot as GrpcObject).workflow as GrpcObject).WorkflowService as ServiceClientConstructor;
  cached = { definition, service: Client.service, Client };
  return cached;
}
