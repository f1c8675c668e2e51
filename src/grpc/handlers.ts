/**
 * @module grpc/handlers
 * The five RPCs of `WorkflowService` (PRODUCT.md §10). Each authenticates, checks the same
 * permission REST checks, calls the same application service REST calls and maps the answer to
 * the proto message; nothing here decides anything the services decide.
 */
import type { ServerUnaryCall, ServerWritableStream, sendUnaryData, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/jwt.ts';
import { DISPATCH_SCOPE, hasScope, type Principal } from '../core/permissions.ts';
import { AppError } from '../errors.ts';
import { checkDispatchEvent } from '../services/dispatch-event.ts';
import type { EventDispatcher } from '../services/event-dispatcher.ts';
import { checkExecuteRequest } from '../services/execute-request.ts';
import type { ExecutionEvent } from '../services/execution-types.ts';
import type { ExecutionService } from '../services/executions.ts';
import { createWatchSink } from '../services/watch-sink.ts';
import type { WorkflowService } from '../services/workflows.ts';
import {
  type CancelRequest,
  type DispatchRequest,
  dispatchEventOf,
  type ExecuteRequest,
  executeInputOf,
  type StatusRequest,
  statusResponseOf,
  type WatchRequest,
} from './messages.ts';
import { authenticate, toServiceError } from './status.ts';
import { toProtoStruct } from './struct.ts';

export interface GrpcHandlerDeps {
  readonly authenticator: Authenticator;
  readonly workflows: WorkflowService;
  readonly executions: ExecutionService;
  readonly dispatcher: EventDispatcher;
  readonly logger: Logger;
  /** Unsent bytes a watcher may fall behind before it gets `lagged` and is closed (STREAM_LAG_LIMIT_BYTES). */
  readonly lagLimitBytes?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireUuid(value: string, field: string): string {
  if (!UUID.test(value)) throw new AppError('BAD_REQUEST', `${field} must be a UUID`);
  return value;
}

function executionEventMessage(event: ExecutionEvent) {
  return {
    execution_id: event.execution_id,
    node_id: event.node_id ?? '',
    status: event.status,
    at: event.at,
    output: toProtoStruct(event.output),
    final: event.final,
    run: event.run ?? 0,
    attempt: event.attempt ?? 0,
    lane: event.lane ?? 0,
    retrying: event.retrying === true,
  };
}

/** A message's weight while it waits: its output's JSON size, which dominates it. */
function messageSize(message: ReturnType<typeof executionEventMessage>): number {
  return 256 + JSON.stringify(message.output ?? null).length;
}

export function createGrpcHandlers(deps: GrpcHandlerDeps): UntypedServiceImplementation {
  const { authenticator, workflows, executions, dispatcher, logger } = deps;

  /** Runs one unary RPC: authenticate, handle, answer or map the error. */
  function unary<Req, Res>(rpc: string, handle: (request: Req, principal: Principal) => Promise<Res>) {
    return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
      authenticate(authenticator, call.metadata)
        .then((principal) => handle(call.request, principal))
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(toServiceError(error, logger, rpc)),
        );
    };
  }

  const actorOf = (principal: Principal, call: { getPeer(): string }) => ({ principal, clientIp: call.getPeer() });

  return {
    ExecuteWorkflow: (call: ServerUnaryCall<ExecuteRequest, unknown>, callback: sendUnaryData<unknown>) =>
      unary<ExecuteRequest, unknown>('ExecuteWorkflow', async (request, principal) => {
        const workflowId = requireUuid(request.workflow_id, 'workflow_id');
        const { workflow } = await workflows.authorize(principal, workflowId, 'can_execute');
        const input = checkExecuteRequest(executeInputOf(request));
        const outcome = await executions.execute(actorOf(principal, call), workflow, input, 'grpc');
        const answer = outcome.waited ? outcome.execution : outcome.started;
        return {
          execution_id: answer.execution_id,
          workflow_id: answer.workflow_id,
          status: answer.status,
          start_time: answer.start_time ?? '',
        };
      })(call, callback),

    GetExecutionStatus: unary<StatusRequest, unknown>('GetExecutionStatus', async (request, principal) => {
      const executionId = requireUuid(request.execution_id, 'execution_id');
      await executions.authorizeExecution(principal, executionId, 'can_view');
      const view = await executions.get(executionId, { includeLogs: request.include_logs, includeMetrics: false });
      return statusResponseOf(view);
    }),

    CancelExecution: (call: ServerUnaryCall<CancelRequest, unknown>, callback: sendUnaryData<unknown>) =>
      unary<CancelRequest, unknown>('CancelExecution', async (request, principal) => {
        const executionId = requireUuid(request.execution_id, 'execution_id');
        await executions.authorizeExecution(principal, executionId, 'can_execute');
        return executions.cancel(actorOf(principal, call), executionId);
      })(call, callback),

    WatchExecution: (call: ServerWritableStream<WatchRequest, unknown>) => {
      let unsubscribe: (() => void) | null = null;
      let done = false;
      const end = () => {
        done = true;
        unsubscribe?.();
        unsubscribe = null;
      };
      call.on('cancelled', end);
      (async () => {
        const principal = await authenticate(authenticator, call.metadata);
        const executionId = requireUuid(call.request.execution_id, 'execution_id');
        await executions.authorizeExecution(principal, executionId, 'can_view');
        const sink = createWatchSink(
          {
            write: (message) => call.write(message),
            onDrain: (listener) => call.on('drain', listener),
            end: (last) => {
              call.write(last);
              end();
              call.end();
            },
          },
          { frame: executionEventMessage, sizeOf: messageSize, lagLimitBytes: deps.lagLimitBytes ?? 1024 * 1024 },
        );
        const stop = await executions.watch(
          executionId,
          (event) => {
            if (!done) sink.push(event);
          },
          principal.userId,
        );
        if (done) stop();
        else unsubscribe = stop;
      })().catch((error: unknown) => {
        end();
        // An 'error' event is how grpc-js ends a server stream with a status; destroy() would
        // leave the client waiting for one until its deadline.
        if (!call.cancelled) call.emit('error', toServiceError(error, logger, 'WatchExecution'));
      });
    },

    DispatchEvent: unary<DispatchRequest, unknown>('DispatchEvent', async (request, principal) => {
      if (!hasScope(principal, DISPATCH_SCOPE))
        throw new AppError('FORBIDDEN', `Token scope must include ${DISPATCH_SCOPE}`);
      const event = checkDispatchEvent(dispatchEventOf(request));
      return dispatcher.dispatch(event, principal.userId);
    }),
  };
}
