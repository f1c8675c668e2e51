/**
 * The gRPC door with a real @grpc/grpc-js client loading proto/workflow.proto: every RPC, every
 * status code of PRODUCT.md §10, a watch that sees each node of a 5-node run in order, cancel
 * of a run sitting in a delay, and server reflection.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Client, credentials, loadPackageDefinition, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { LOADER_OPTIONS, protoPath } from '../src/grpc/proto.ts';
import { fromProtoStruct, toProtoStruct } from '../src/grpc/struct.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { COMMUNITY_ID, ENTITY_ID } from './helpers/fixtures.ts';

type Message = Record<string, unknown>;
type UnaryMethod = (
  request: Message,
  metadata: Metadata,
  callback: (error: ServiceError | null, response: Message) => void,
) => void;

const definition = loadSync(protoPath(), LOADER_OPTIONS);
// biome-ignore lint/suspicious/noExplicitAny: the generated package is untyped by nature.
const WorkflowService = (loadPackageDefinition(definition) as any).waddlebot.workflow.WorkflowService;

const edge = (from: string, to: string, port = 'output') => ({
  from_node_id: from,
  from_port_name: port,
  to_node_id: to,
  to_port_name: 'input',
});

const FIVE_NODES = {
  name: 'Five nodes',
  entity_id: ENTITY_ID,
  community_id: COMMUNITY_ID,
  nodes: {
    start: { node_type: 'trigger_manual' },
    a: { node_type: 'data_variable_set', config: { variables: { a: 1 } } },
    b: { node_type: 'data_variable_set', config: { variables: { b: '{{ a }}' } } },
    c: { node_type: 'data_variable_set', config: { variables: { c: '{{ who }}' } } },
    end: { node_type: 'flow_end', config: { final_output: { who: '{{ c }}', b: '{{ b }}' } } },
  },
  connections: [edge('start', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'end')],
};

const delayed = (ms: number) => ({
  name: `Delay ${ms}`,
  entity_id: ENTITY_ID,
  nodes: {
    start: { node_type: 'trigger_manual' },
    wait: { node_type: 'action_delay', config: { delay_ms: ms } },
    end: { node_type: 'flow_end' },
  },
  connections: [edge('start', 'wait'), edge('wait', 'end')],
});

describe('gRPC WorkflowService', () => {
  let t: TestApp;
  let client: Client & Record<string, UnaryMethod & ((request: Message, metadata: Metadata) => NodeJS.EventEmitter)>;
  let owner: string;
  let port: number;

  before(async () => {
    // One run at a time, so a run queued behind a delay can be watched from its first node.
    t = await createTestApp({ EXECUTION_CONCURRENCY: '1' });
    port = t.app.features.grpc.port();
    client = new WorkflowService(`127.0.0.1:${port}`, credentials.createInsecure());
    owner = await t.token({ userId: '42' });
  });
  after(async () => {
    client.close();
    await t.close();
  });

  function auth(token: string | null): Metadata {
    const metadata = new Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return metadata;
  }

  function call(method: string, request: Message, token: string | null = owner): Promise<Message> {
    return new Promise((resolve, reject) => {
      client[method](request, auth(token), (error, response) => (error ? reject(error) : resolve(response)));
    });
  }

  async function failure(method: string, request: Message, token: string | null): Promise<ServiceError> {
    try {
      await call(method, request, token);
    } catch (error) {
      return error as ServiceError;
    }
    throw new Error(`${method} succeeded`);
  }

  async function published(body: Message, publish = true): Promise<string> {
    const created = await t.request({ method: 'POST', url: '/api/v1/workflows', token: owner, payload: body });
    const id = json<{ data: { workflow_id: string } }>(created).data.workflow_id;
    if (publish) {
      const response = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: owner });
      assert.equal(response.statusCode, 200, response.body);
    }
    return id;
  }

  it('ExecuteWorkflow starts a run, or waits for it; GetExecutionStatus reads it back', async () => {
    const id = await published(FIVE_NODES);
    const started = await call('ExecuteWorkflow', { workflow_id: id, variables: toProtoStruct({ who: 'ann' }) });
    assert.equal(started.workflow_id, id);
    assert.match(started.status as string, /^(queued|running)$/);
    assert.match(started.start_time as string, /^\d{4}-\d\d-\d\dT/);

    const done = await call('ExecuteWorkflow', {
      workflow_id: id,
      variables: toProtoStruct({ who: 'bob' }),
      wait_for_completion: true,
      timeout_seconds: 20,
    });
    assert.equal(done.status, 'completed');
    const view = await call('GetExecutionStatus', { execution_id: done.execution_id, include_logs: true });
    assert.equal(view.status, 'completed');
    assert.deepEqual(view.execution_path, ['start', 'a', 'b', 'c', 'end']);
    assert.deepEqual(fromProtoStruct(view.final_output as Message), { who: 'bob', b: 1 });
    assert.equal(fromProtoStruct(view.final_variables as Message).c, 'bob');
    const states = fromProtoStruct(view.node_states as Message) as Record<string, Record<string, unknown>>;
    assert.equal(states.end.status, 'completed');
    assert.ok(Array.isArray(states.a.logs));
    assert.ok((view.execution_time_seconds as number) >= 0);
    assert.equal(view.error_message, '');
    const slim = fromProtoStruct(
      (await call('GetExecutionStatus', { execution_id: done.execution_id })).node_states as Message,
    );
    assert.equal((slim.a as Message).logs, undefined);
  });

  it('WatchExecution streams every node of a 5-node run in order, then the final status', async () => {
    const blocker = await published(delayed(600));
    const id = await published(FIVE_NODES);
    await call('ExecuteWorkflow', { workflow_id: blocker });
    const started = await call('ExecuteWorkflow', { workflow_id: id, variables: toProtoStruct({ who: 'cy' }) });
    const events: Message[] = [];
    await new Promise<void>((resolve, reject) => {
      const stream = client.WatchExecution({ execution_id: started.execution_id }, auth(owner));
      stream.on('data', (event: Message) => events.push(event));
      stream.on('error', reject);
      stream.on('end', resolve);
    });
    const completed = events.filter((e) => e.status === 'completed' && !e.final).map((e) => e.node_id);
    assert.deepEqual(completed, ['start', 'a', 'b', 'c', 'end']);
    for (const node of ['start', 'a', 'b', 'c', 'end']) {
      const order = events.filter((e) => e.node_id === node).map((e) => e.status);
      assert.deepEqual(order, ['running', 'completed'], node);
    }
    const last = events.at(-1) as Message;
    assert.equal(last.final, true);
    assert.equal(last.node_id, '');
    assert.equal(last.status, 'completed');
    assert.deepEqual(fromProtoStruct(last.output as Message), { who: 'cy', b: 1 });
  });

  it('a watcher who arrives late, or after the end, still sees every node from the first', async () => {
    const watchAll = (executionId: string) =>
      new Promise<Message[]>((resolve, reject) => {
        const events: Message[] = [];
        const stream = client.WatchExecution({ execution_id: executionId }, auth(owner));
        stream.on('data', (event: Message) => events.push(event));
        stream.on('error', reject);
        stream.on('end', () => resolve(events));
      });
    const id = await published(delayed(400));
    const started = await call('ExecuteWorkflow', { workflow_id: id });
    for (let i = 0; i < 100; i++) {
      const view = await call('GetExecutionStatus', { execution_id: started.execution_id });
      if ((view.execution_path as string[]).includes('wait')) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const late = await watchAll(started.execution_id as string);
    const completedLate = late.filter((e) => e.status === 'completed' && !e.final).map((e) => e.node_id);
    assert.deepEqual(completedLate, ['start', 'wait', 'end'], 'the start node finished before the watch began');
    assert.equal(late.at(-1)?.final, true);

    const after = await watchAll(started.execution_id as string);
    assert.deepEqual(
      after.filter((e) => !e.final).map((e) => `${e.node_id}:${e.status}`),
      ['start:completed', 'wait:completed', 'end:completed'],
    );
    assert.equal(after.at(-1)?.status, 'completed');
  });

  it('CancelExecution stops a run sitting in a delay; cancelling it again is FAILED_PRECONDITION', async () => {
    const id = await published(delayed(60_000));
    const started = await call('ExecuteWorkflow', { workflow_id: id });
    for (let i = 0; i < 100; i++) {
      const view = await call('GetExecutionStatus', { execution_id: started.execution_id });
      if ((view.execution_path as string[]).includes('start')) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const cancelled = await call('CancelExecution', { execution_id: started.execution_id });
    assert.equal(cancelled.status, 'cancelled');
    assert.match(cancelled.cancelled_at as string, /^\d{4}-/);
    let view: Message = {};
    for (let i = 0; i < 100; i++) {
      view = await call('GetExecutionStatus', { execution_id: started.execution_id });
      if (view.status === 'cancelled') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(view.status, 'cancelled');
    const again = await failure('CancelExecution', { execution_id: started.execution_id }, owner);
    assert.equal(again.code, status.FAILED_PRECONDITION);
  });

  it('DispatchEvent answers matched and skipped, and needs the dispatch scope', async () => {
    const id = await published({
      name: 'gRPC command',
      entity_id: ENTITY_ID,
      nodes: { t: { node_type: 'trigger_command', config: { command_name: '!grpc', require_mod: true } } },
      connections: [],
    });
    const router = await t.token({ userId: 'router', scope: 'workflows:dispatch' });
    const event = { type: 'command', entity_id: ENTITY_ID, platform: 'discord', user_id: 'u1', message: '!grpc now' };
    const skipped = await call('DispatchEvent', event, router);
    assert.deepEqual(skipped.matched, []);
    assert.deepEqual(skipped.skipped, [{ workflow_id: id, node_id: 't', reason: 'require_mod' }]);
    const matched = await call('DispatchEvent', { ...event, is_mod: true }, router);
    assert.equal((matched.matched as Message[])[0].workflow_id, id);
    assert.equal((await failure('DispatchEvent', event, owner)).code, status.PERMISSION_DENIED);
    assert.equal((await failure('DispatchEvent', { ...event, type: 'whisper' }, router)).code, status.INVALID_ARGUMENT);
    assert.equal((await failure('DispatchEvent', { ...event, message: '' }, router)).code, status.INVALID_ARGUMENT);
  });

  it('maps errors to UNAUTHENTICATED, NOT_FOUND, PERMISSION_DENIED, INVALID_ARGUMENT, FAILED_PRECONDITION, DEADLINE_EXCEEDED', async () => {
    const id = await published(delayed(3_000));
    const draft = await published(FIVE_NODES, false);
    assert.equal((await failure('ExecuteWorkflow', { workflow_id: id }, null)).code, status.UNAUTHENTICATED);
    assert.equal((await failure('ExecuteWorkflow', { workflow_id: id }, 'not-a-jwt')).code, status.UNAUTHENTICATED);

    const stranger = await t.token({ userId: 'stranger' });
    const missing = await failure('ExecuteWorkflow', { workflow_id: id }, stranger);
    assert.equal(missing.code, status.NOT_FOUND);
    assert.equal(missing.metadata.get('error-code')[0], 'WORKFLOW_NOT_FOUND');
    assert.equal(
      (await failure('GetExecutionStatus', { execution_id: '00000000-0000-4000-8000-000000000000' }, owner)).code,
      status.NOT_FOUND,
    );

    const grant = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}/permissions`,
      token: owner,
      payload: { permission_type: 'user', target_id: 'viewer', can_view: true },
    });
    assert.equal(grant.statusCode, 200);
    const viewer = await t.token({ userId: 'viewer' });
    assert.equal((await failure('ExecuteWorkflow', { workflow_id: id }, viewer)).code, status.PERMISSION_DENIED);

    assert.equal((await failure('ExecuteWorkflow', { workflow_id: 'nope' }, owner)).code, status.INVALID_ARGUMENT);
    assert.equal((await failure('ExecuteWorkflow', { workflow_id: draft }, owner)).code, status.FAILED_PRECONDITION);
    const slow = await failure(
      'ExecuteWorkflow',
      { workflow_id: id, wait_for_completion: true, timeout_seconds: 1 },
      owner,
    );
    assert.equal(slow.code, status.DEADLINE_EXCEEDED);
    assert.equal(slow.metadata.get('error-code')[0], 'EXECUTION_TIMEOUT');
    // The run that outlived the wait goes on; the viewer may read it but not cancel it.
    const runId = (await call('ExecuteWorkflow', { workflow_id: id }, owner)).execution_id;
    assert.equal((await call('GetExecutionStatus', { execution_id: runId }, viewer)).workflow_id, id);
    assert.equal((await failure('CancelExecution', { execution_id: runId }, viewer)).code, status.PERMISSION_DENIED);
    await call('CancelExecution', { execution_id: runId }, owner);
  });

  it('offers server reflection listing the service', async () => {
    const require = createRequire(import.meta.url);
    const reflectionDir = join(dirname(require.resolve('@grpc/reflection')), '..', 'proto');
    const reflectionDefinition = loadSync(join(reflectionDir, 'grpc/reflection/v1alpha/reflection.proto'), {
      keepCase: true,
    });
    // biome-ignore lint/suspicious/noExplicitAny: the generated package is untyped by nature.
    const Reflection = (loadPackageDefinition(reflectionDefinition) as any).grpc.reflection.v1alpha.ServerReflection;
    const reflection = new Reflection(`127.0.0.1:${port}`, credentials.createInsecure());
    const services = await new Promise<string[]>((resolve, reject) => {
      const stream = reflection.ServerReflectionInfo();
      stream.on('data', (response: { list_services_response?: { service: Array<{ name: string }> } }) => {
        resolve(response.list_services_response?.service.map((s) => s.name) ?? []);
        stream.end();
      });
      stream.on('error', reject);
      stream.write({ list_services: '' });
    });
    reflection.close();
    assert.ok(services.includes('waddlebot.workflow.WorkflowService'), services.join(','));
  });
});

describe('gRPC INTERNAL', () => {
  it('answers INTERNAL without internals when the store fails', async () => {
    const t = await createTestApp();
    const port = t.app.features.grpc.port();
    const client = new WorkflowService(`127.0.0.1:${port}`, credentials.createInsecure());
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${await t.token({ userId: '42' })}`);
    await t.app.database.close();
    try {
      const error = await new Promise<ServiceError>((resolve, reject) =>
        client.GetExecutionStatus(
          { execution_id: '00000000-0000-4000-8000-000000000000' },
          metadata,
          (e: ServiceError | null) => (e ? resolve(e) : reject(new Error('succeeded'))),
        ),
      );
      assert.equal(error.code, status.INTERNAL);
      assert.match(error.details, /^Internal error \(reference [0-9a-f-]+\)$/);
    } finally {
      client.close();
      await t.close().catch(() => t.database.cleanup());
    }
  });
});
