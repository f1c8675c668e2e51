/**
 * @module http/routes/execution-answers
 * Response schemas of the execution routes. Execution records stay open (`additionalProperties`):
 * the engine's record grows with the product, and an answer must never lose what it recorded.
 */
import { type Static, Type } from '@sinclair/typebox';
import { NODE_STATUSES } from '../../engine/record-types.ts';
import { type RunSpan, SPAN_STATUSES } from '../../engine/spans.ts';
import { EXECUTION_STATUSES, TRIGGER_SOURCES } from '../../services/execution-types.ts';
import { Envelope, NullableTimestamp, nullable, PagedEnvelope, stringEnum, Timestamp, Uuid } from '../envelope.ts';

const open = { additionalProperties: true } as const;
const ExecutionStatus = stringEnum(EXECUTION_STATUSES);
const NodeStatus = stringEnum(NODE_STATUSES);
const Seconds = nullable(Type.Number({ minimum: 0 }));
const AnyObject = Type.Object({}, open);

export const NodeStateSchema = Type.Object(
  {
    node_id: Type.String(),
    node_type: Type.String(),
    status: NodeStatus,
    started_at: NullableTimestamp,
    completed_at: NullableTimestamp,
    input_data: Type.Optional(Type.Unknown({ description: 'left out when include_logs=false' })),
    output_data: Type.Optional(
      Type.Unknown({ description: 'what `nodes.<id>.output` reads; left out when include_logs=false' }),
    ),
    logs: Type.Optional(Type.Array(Type.String(), { description: 'left out when include_logs=false' })),
    error: nullable(Type.String()),
    attempts: Type.Integer({ minimum: 0 }),
    runs: Type.Optional(Type.Integer({ minimum: 1, description: 'present when the node ran more than once (loops)' })),
  },
  open,
);

export const OutboxEntrySchema = Type.Object(
  {
    node_id: Type.String(),
    kind: Type.String({ description: 'chat_message, module, browser_source or http' }),
    payload: Type.Unknown(),
    delivered: Type.Boolean(),
    simulated: Type.Boolean({ description: 'true in test mode: recorded, not sent' }),
    at: Timestamp,
    status: Type.Optional(Type.Integer()),
    error: Type.Optional(Type.String()),
  },
  open,
);

export const ExecutionMetricsSchema = Type.Object(
  {
    queue_wait_ms: nullable(Type.Number()),
    total_duration_ms: nullable(Type.Number()),
    node_durations_ms: Type.Record(Type.String(), Type.Number()),
    nodes_executed: Type.Integer(),
    nodes_failed: Type.Integer(),
    nodes_skipped: Type.Integer(),
    retries: Type.Integer(),
  },
  open,
);

/** One node run attempt of the stored timeline (engine/spans.ts records them). */
export const RunSpanSchema = Type.Object(
  {
    node_id: Type.String(),
    run: Type.Integer({ minimum: 1, description: '1-based run of the node within the execution' }),
    attempt: Type.Integer({ minimum: 1, description: '1-based attempt within that run (retries)' }),
    lane: Type.Integer({
      minimum: 0,
      description: 'the branch it ran on: 0 for the main line; each flow_parallel branch has its own',
    }),
    start_ms: Type.Number({ description: 'milliseconds of run time' }),
    end_ms: nullable(Type.Number()),
    status: stringEnum(SPAN_STATUSES),
  },
  open,
);

/**
 * The engine's span and the answer's are the same shape, each assignable to the other, so neither
 * can gain or lose a field or a status without the other (this line stops compiling).
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
type _RunSpanMatchesEngine = Holds<Same<RunSpan, Static<typeof RunSpanSchema>>>;

export const TimelineSchema = Type.Object(
  {
    spans: Type.Array(RunSpanSchema, { description: 'one per node run attempt, loop iterations and retries apart' }),
    dropped: Type.Integer({ minimum: 0, description: 'spans past the cap, counted but not kept' }),
  },
  { ...open, description: 'only with include_timeline=true' },
);

export const ExecutionViewSchema = Type.Object(
  {
    execution_id: Uuid,
    workflow_id: Uuid,
    workflow_version: nullable(Type.Integer({ description: 'null for test runs of the working definition' })),
    status: ExecutionStatus,
    trigger_source: stringEnum(TRIGGER_SOURCES),
    test_mode: Type.Boolean(),
    queued_at: Timestamp,
    start_time: NullableTimestamp,
    end_time: NullableTimestamp,
    cancelled_at: NullableTimestamp,
    execution_time_seconds: Seconds,
    execution_path: Type.Array(Type.String(), { description: 'node ids in the order they ran' }),
    node_states: Type.Record(Type.String(), NodeStateSchema),
    final_variables: AnyObject,
    final_output: AnyObject,
    outbox: Type.Array(OutboxEntrySchema, { description: 'deliveries made or recorded by the run' }),
    error_message: nullable(Type.String()),
    error_node_id: nullable(Type.String()),
    parent_execution_id: nullable(
      Type.String({ format: 'uuid', description: 'set on a sub-workflow run: the run that started it' }),
    ),
    parent_node_id: nullable(Type.String({ description: 'set on a sub-workflow run: the node that started it' })),
    rerun_of: nullable(Type.String({ format: 'uuid', description: 'set on a rerun: the run it repeats' })),
    metrics: Type.Optional(ExecutionMetricsSchema),
    timeline: Type.Optional(TimelineSchema),
  },
  open,
);

export const StartedSchema = Type.Object(
  {
    execution_id: Uuid,
    workflow_id: Uuid,
    status: stringEnum(['queued', 'running'] as const),
    start_time: NullableTimestamp,
    execution_path: Type.Array(Type.String()),
  },
  open,
);

export const StartedAnswer = Envelope(
  StartedSchema,
  'Accepted: the execution is stored and queued; follow it with GET …/executions/{execution_id} or its /events stream',
);

export const ExecutionAnswer = Envelope(ExecutionViewSchema, 'The execution record');

export const ExecutionSummarySchema = Type.Object(
  {
    execution_id: Uuid,
    workflow_id: Uuid,
    status: ExecutionStatus,
    trigger_source: stringEnum(TRIGGER_SOURCES),
    test_mode: Type.Boolean(),
    start_time: NullableTimestamp,
    end_time: NullableTimestamp,
    execution_time_seconds: Seconds,
    nodes_executed: Type.Integer(),
    success: Type.Boolean(),
    error: nullable(Type.String()),
  },
  open,
);
export const ExecutionListAnswer = PagedEnvelope(ExecutionSummarySchema, 'A page of executions');

export const CancelledSchema = Type.Object(
  { execution_id: Uuid, status: Type.Literal('cancelled'), cancelled_at: Timestamp },
  open,
);
export const CancelledAnswer = Envelope(CancelledSchema, 'Cancelled');

export const TraceEntrySchema = Type.Object(
  {
    node_id: Type.String(),
    status: NodeStatus,
    duration_seconds: Type.Number(),
    input: Type.Unknown(),
    output: Type.Unknown(),
    logs: Type.Array(Type.String()),
    error: nullable(Type.String()),
    runs: Type.Optional(Type.Integer()),
  },
  open,
);

export const TestResultSchema = Type.Object(
  {
    execution_id: Uuid,
    workflow_id: Uuid,
    test_mode: Type.Literal(true),
    status: ExecutionStatus,
    execution_time_seconds: Type.Number(),
    trace: Type.Array(TraceEntrySchema, {
      description: 'one entry per node: those that ran in order, then skipped ones',
    }),
    final_variables: AnyObject,
    final_output: AnyObject,
    outbox: Type.Array(OutboxEntrySchema, { description: 'what the run would have delivered' }),
    error_message: nullable(Type.String()),
    error_node_id: nullable(Type.String()),
    summary: Type.Object(
      {
        nodes_executed: Type.Integer(),
        nodes_failed: Type.Integer(),
        nodes_skipped: Type.Integer(),
        total_duration: Type.Number(),
        passed: Type.Boolean(),
      },
      open,
    ),
  },
  open,
);

export const TestAnswer = Envelope(TestResultSchema, 'The finished test run: trace, variables, outbox and summary');

export const EventStream = {
  description:
    'Server-Sent Events: `event: node` per node event (`data` is JSON with execution_id, node_id, status, at, output; live events of a node run also carry run, attempt and lane as in the stored timeline, and a failed attempt that is retried carries `retrying: true`, followed by `running` with the next attempt), then one `event: end` when the execution is finished; a comment line every 15 s keeps idle streams open. A finished execution answers its recorded events at once.',
  content: { 'text/event-stream': { schema: Type.Unsafe<unknown>({ type: 'string' }) } },
};
