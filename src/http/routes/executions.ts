/**
 * @module http/routes/executions
 * The Execution API: execute, get, cancel, list per workflow, test (dry run of the working
 * definition), and the live view of a run as Server-Sent Events (http/execution-sse.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { EntityIdSchema } from '../../core/ids.ts';
import { ExecuteRequestSchema, TestRequestSchema } from '../../services/execute-request.ts';
import { EXECUTION_STATUSES, TRIGGER_SOURCES } from '../../services/execution-types.ts';
import type { ExecutionService } from '../../services/executions.ts';
import { actorOf, principalOf, workflowOf } from '../access.ts';
import { errors, ok, PageQuery, paged, Uuid, WorkflowParams } from '../envelope.ts';
import { type SseOptions, sendExecutionEvents } from '../execution-sse.ts';
import {
  CancelledAnswer,
  EventStream,
  ExecutionAnswer,
  ExecutionListAnswer,
  StartedAnswer,
  TestAnswer,
} from './execution-answers.ts';

const tags = ['executions'];
const Id = EntityIdSchema;
const ExecuteBody = ExecuteRequestSchema;
const TestBody = TestRequestSchema;

const ExecutionParams = Type.Object({ execution_id: Uuid }, { additionalProperties: false });

const GetQuery = Type.Object({
  include_logs: Type.Boolean({ default: true }),
  include_metrics: Type.Boolean({ default: false }),
  include_timeline: Type.Boolean({ default: false }),
});

export const ListQuery = Type.Object({
  community_id: Id,
  status: Type.Optional(Type.Union(EXECUTION_STATUSES.map((s) => Type.Literal(s)))),
  // Not in the reference: the runs list filters by trigger on the server, so paging counts it.
  trigger_source: Type.Optional(
    Type.Union(
      TRIGGER_SOURCES.map((s) => Type.Literal(s)),
      { description: 'only runs started this way (`test` needs include_test=true)' },
    ),
  ),
  sort_by: Type.Union([Type.Literal('start_time'), Type.Literal('status'), Type.Literal('execution_time')], {
    default: 'start_time',
  }),
  sort_order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' }),
  include_test: Type.Boolean({ default: false }),
  ...PageQuery,
});

export interface ExecutionRoutesOptions extends SseOptions {
  readonly executions: ExecutionService;
}

export const executionRoutes: FastifyPluginAsyncTypebox<ExecutionRoutesOptions> = async (app, options) => {
  const { executions } = options;
  app.post(
    '/api/v1/workflows/:workflow_id/execute',
    {
      config: { access: { kind: 'workflow', permission: 'can_execute' } },
      schema: {
        tags,
        summary: 'Execute a workflow',
        description:
          'Runs the latest published version, starting at `trigger_node_id` (default: every trigger_manual node). Answers 202 once the execution is stored and queued; with `wait_for_completion` it waits (up to `timeout_seconds`, default 30) and answers 200 with the finished record, or 504 EXECUTION_TIMEOUT. A workflow never published answers 409 WORKFLOW_NOT_ACTIVE (use /test for drafts). The body may be empty.',
        params: WorkflowParams,
        body: ExecuteBody,
        response: { 200: ExecutionAnswer, 202: StartedAnswer, ...errors(409, 503, 504) },
      },
    },
    async (request, reply) => {
      const outcome = await executions.execute(actorOf(request), workflowOf(request), request.body);
      // The message says how the run ended: a failed run did not "complete".
      if (outcome.waited) return ok(outcome.execution, `Workflow execution ${outcome.execution.status}`);
      reply.status(202);
      const { execution_id, workflow_id, status, start_time, execution_path } = outcome.started;
      return ok({ execution_id, workflow_id, status, start_time, execution_path }, 'Workflow execution started');
    },
  );

  app.post(
    '/api/v1/workflows/:workflow_id/test',
    {
      config: { access: { kind: 'workflow', permission: 'can_execute' } },
      schema: {
        tags,
        summary: 'Test a workflow (dry run)',
        description:
          'Runs the working definition now, in test mode: deliveries and outbound calls are recorded in the outbox, not sent. `trigger_data` is what a trigger would hand on (e.g. `{"message": "!so ninja"}` for a command); `mock_outputs` replaces the output of the named nodes without running them; `mock_errors` (`{node_id: message}`) makes the named nodes fail with that message, without retries, so their error port (or the run failure) can be tested. Test runs are left out of execution lists unless `include_test=true`.',
        params: WorkflowParams,
        body: TestBody,
        response: { 200: TestAnswer, ...errors(409) },
      },
    },
    async (request) =>
      ok(await executions.test(actorOf(request), workflowOf(request), request.body), 'Workflow test completed'),
  );

  app.get(
    '/api/v1/workflows/:workflow_id/executions',
    {
      config: { access: { kind: 'workflow', permission: 'can_view' } },
      schema: {
        tags,
        summary: 'List executions of a workflow',
        description:
          'Newest first by default; test runs are left out unless `include_test=true`. `status` and `trigger_source` filter on the server, so `meta.pagination.total` counts only the matching runs.',
        params: WorkflowParams,
        querystring: ListQuery,
        response: { 200: ExecutionListAnswer },
      },
    },
    async (request) => {
      const { status, trigger_source, sort_by, sort_order, include_test, page, per_page } = request.query;
      const { rows, pagination } = await executions.list(
        workflowOf(request),
        { status, triggerSource: trigger_source, sortBy: sort_by, sortOrder: sort_order, includeTest: include_test },
        { page, per_page },
      );
      return paged(rows, pagination);
    },
  );

  app.get(
    '/api/v1/workflows/executions/:execution_id',
    {
      config: { access: { kind: 'execution', permission: 'can_view' } },
      schema: {
        tags,
        summary: 'Get an execution',
        description:
          'Status, node states (with inputs, outputs and logs unless `include_logs=false`), final variables and output, the outbox, and metrics with `include_metrics=true`. For live progress read GET …/events (Server-Sent Events).',
        params: ExecutionParams,
        querystring: GetQuery,
        response: { 200: ExecutionAnswer },
      },
    },
    async (request) =>
      ok(
        await executions.get(request.params.execution_id, {
          includeLogs: request.query.include_logs,
          includeMetrics: request.query.include_metrics,
          includeTimeline: request.query.include_timeline,
        }),
      ),
  );

  app.get(
    '/api/v1/workflows/executions/:execution_id/events',
    {
      config: { access: { kind: 'execution', permission: 'can_view' } },
      schema: {
        tags,
        summary: 'Watch an execution live (SSE)',
        description:
          'The same node events as gRPC WatchExecution, as a `text/event-stream`. Send the token in the Authorization header (EventSource cannot: use fetch with a stream reader).',
        params: ExecutionParams,
        response: { 200: EventStream, ...errors(429) },
      },
    },
    async (request, reply) =>
      sendExecutionEvents(
        reply,
        (listener) => executions.watch(request.params.execution_id, listener, principalOf(request).userId),
        options,
      ),
  );

  app.post(
    '/api/v1/workflows/executions/:execution_id/cancel',
    {
      config: { access: { kind: 'execution', permission: 'can_execute' } },
      schema: {
        tags,
        summary: 'Cancel an execution',
        description:
          'Stops a queued or running execution: the node running is interrupted, nothing after it runs. An execution that already ended answers 400 EXECUTION_NOT_CANCELLABLE.',
        params: ExecutionParams,
        response: { 200: CancelledAnswer },
      },
    },
    async (request) =>
      ok(await executions.cancel(actorOf(request), request.params.execution_id), 'Execution cancelled successfully'),
  );
};
