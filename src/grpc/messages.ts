/**
 * @module grpc/messages
 * Proto messages ↔ the inputs and answers of the application services. proto3 cannot tell an
 * unset scalar from its default, so an empty string, a zero id and an empty list mean "absent".
 */
import { AppError } from '../errors.ts';
import { type ExecuteInput, MAX_WAIT_SECONDS } from '../services/execute-request.ts';
import { fromProtoStruct, type ProtoStruct, toProtoStruct } from './struct.ts';

export interface ExecuteRequest {
  readonly workflow_id: string;
  readonly community_id: number;
  readonly variables: ProtoStruct | null;
  readonly metadata: ProtoStruct | null;
  readonly trigger_node_id: string;
  readonly wait_for_completion: boolean;
  readonly timeout_seconds: number;
}

export interface StatusRequest {
  readonly execution_id: string;
  readonly include_logs: boolean;
}

export interface CancelRequest {
  readonly execution_id: string;
}

export interface WatchRequest {
  readonly execution_id: string;
}

export interface DispatchRequest {
  readonly type: string;
  readonly entity_id: number;
  readonly community_id: number;
  readonly platform: string;
  readonly user_id: string;
  readonly username: string;
  readonly channel_id: string;
  readonly message_id: string;
  readonly message: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly is_mod: boolean;
  readonly event_type: string;
  readonly data: ProtoStruct | null;
}

/** The REST execute body's limits (0 < timeout ≤ MAX_WAIT_SECONDS) hold here too; proto's 0 is "not set". */
export function executeInputOf(request: ExecuteRequest): ExecuteInput {
  if (request.timeout_seconds < 0 || request.timeout_seconds > MAX_WAIT_SECONDS) {
    throw new AppError('BAD_REQUEST', `timeout_seconds must be between 1 and ${MAX_WAIT_SECONDS}`);
  }
  return {
    ...(request.community_id ? { community_id: request.community_id } : {}),
    variables: fromProtoStruct(request.variables),
    metadata: fromProtoStruct(request.metadata),
    ...(request.trigger_node_id ? { trigger_node_id: request.trigger_node_id } : {}),
    wait_for_completion: request.wait_for_completion,
    ...(request.timeout_seconds > 0 ? { timeout_seconds: request.timeout_seconds } : {}),
  };
}

/** The event of PRODUCT.md §6 as the REST body would carry it; the caller checks it against the schema. */
export function dispatchEventOf(request: DispatchRequest): Record<string, unknown> {
  const event: Record<string, unknown> = {
    type: request.type,
    entity_id: request.entity_id,
    platform: request.platform,
    user_id: request.user_id,
  };
  if (request.community_id) event.community_id = request.community_id;
  for (const field of ['username', 'channel_id', 'message_id', 'message', 'command', 'event_type'] as const) {
    if (request[field]) event[field] = request[field];
  }
  if (request.args.length > 0) event.args = [...request.args];
  if (request.is_mod) event.is_mod = true;
  if (request.data?.fields && Object.keys(request.data.fields).length > 0) event.data = fromProtoStruct(request.data);
  return event;
}

/** The execution view REST answers, as GetExecutionStatusResponse (nulls become defaults). */
export function statusResponseOf(view: Record<string, unknown>) {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    execution_id: text(view.execution_id),
    workflow_id: text(view.workflow_id),
    status: text(view.status),
    start_time: text(view.start_time),
    end_time: text(view.end_time),
    execution_time_seconds: typeof view.execution_time_seconds === 'number' ? view.execution_time_seconds : 0,
    execution_path: Array.isArray(view.execution_path) ? view.execution_path.map(String) : [],
    node_states: toProtoStruct(view.node_states),
    final_variables: toProtoStruct(view.final_variables),
    final_output: toProtoStruct(view.final_output),
    error_message: text(view.error_message),
    error_node_id: text(view.error_node_id),
  };
}
