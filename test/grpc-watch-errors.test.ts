/**
 * WatchExecution ends with a status, never a hang: the same status and message the unary RPCs
 * give for the same id and token, and OK after the last event of a finished run. Unknown and
 * unviewable executions answer identically (PRODUCT.md §10, §11). A real grpc-js client.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Client, credentials, loadPackageDefinition, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { LOADER_OPTIONS, protoPath } from '../src/grpc/proto.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';

type Message = Record<string, unknown>;
type Outcome = { code: number; details: string; errorCode: unknown; events: Message[] };

// biome-ignore lint/suspicious/noExplicitAny: the generated package is untyped by nature.
const WorkflowService = (loadPackageDefinition(loadSync(protoPath(), LOADER_OPTIONS)) as any).waddlebot.workflow
  .WorkflowService;

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('gRPC WatchExecution endings', () => {
  let t: TestApp;
  // biome-ignore lint/suspicious/noExplicitAny: generated client.
  let client: Client & Record<string, any>;
  let owner: string;
  let stranger: string;
  let executionId: string;

  before(async () => {
    t = await createTestApp();
    client = new WorkflowService(`127.0.0.1:${t.app.features.grpc.port()}`, credentials.createInsecure());
    owner = await t.token({ userId: '42' });
    stranger = await t.token({ userId: 'stranger' });
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/workflows',
      token: owner,
      payload: {
        name: 'Watched',
        entity_id: ENTITY_ID,
        nodes: { start: { node_type: 'trigger_manual' }, end: { node_type: 'flow_end' } },
        connections: [{ from_node_id: 'start', from_port_name: 'output', to_node_id: 'end', to_port_name: 'input' }],
      },
    });
    const id = json<{ data: { workflow_id: string } }>(created).data.workflow_id;
    await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: owner });
    const run = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/execute`,
      token: owner,
      payload: { wait_for_completion: true },
    });
    executionId = json<{ data: { execution_id: string } }>(run).data.execution_id;
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

  /** Watches with a 5 s deadline: a hang shows as DEADLINE_EXCEEDED. */
  function watch(id: string, token: string | null): Promise<Outcome> {
    return new Promise((resolve) => {
      const events: Message[] = [];
      const stream = client.WatchExecution({ execution_id: id }, auth(token), { deadline: Date.now() + 5_000 });
      stream.on('data', (event: Message) => events.push(event));
      stream.on('error', () => {});
      stream.on('status', (s: { code: number; details: string; metadata: Metadata }) =>
        resolve({ code: s.code, details: s.details, errorCode: s.metadata.get('error-code')[0], events }),
      );
    });
  }

  function unary(id: string, token: string | null): Promise<Outcome> {
    return new Promise((resolve) => {
      client.GetExecutionStatus({ execution_id: id }, auth(token), (error: ServiceError | null) =>
        resolve({
          code: error?.code ?? status.OK,
          details: error?.details ?? '',
          errorCode: error?.metadata.get('error-code')[0],
          events: [],
        }),
      );
    });
  }

  it('ends with the unary status for an unknown id, a non-UUID id, a missing token and a hidden run', async () => {
    const cases: Array<[string, string, string | null, number]> = [
      ['unknown id', UNKNOWN, owner, status.NOT_FOUND],
      ['non-UUID id', 'not-a-uuid', owner, status.INVALID_ARGUMENT],
      ['missing token', executionId, null, status.UNAUTHENTICATED],
      ['bad token', executionId, 'not-a-jwt', status.UNAUTHENTICATED],
      ['hidden execution', executionId, stranger, status.NOT_FOUND],
    ];
    for (const [name, id, token, expected] of cases) {
      const [streamed, answered] = await Promise.all([watch(id, token), unary(id, token)]);
      assert.equal(answered.code, expected, name);
      assert.equal(streamed.code, expected, `${name}: ${streamed.details}`);
      assert.equal(streamed.details, answered.details, name);
      assert.equal(streamed.errorCode, answered.errorCode, name);
      assert.deepEqual(streamed.events, [], name);
    }
  });

  it('answers an unknown and a hidden execution identically, on every RPC', async () => {
    for (const rpc of ['GetExecutionStatus', 'CancelExecution']) {
      const ask = (id: string) =>
        new Promise<ServiceError>((resolve, reject) =>
          client[rpc]({ execution_id: id }, auth(stranger), (error: ServiceError | null) =>
            error ? resolve(error) : reject(new Error(`${rpc} succeeded`)),
          ),
        );
      const [unknown, hidden] = await Promise.all([ask(UNKNOWN), ask(executionId)]);
      assert.equal(hidden.code, status.NOT_FOUND, rpc);
      assert.deepEqual(
        [hidden.code, hidden.details, hidden.metadata.get('error-code')],
        [unknown.code, unknown.details, unknown.metadata.get('error-code')],
        rpc,
      );
    }
    const [unknown, hidden] = await Promise.all([watch(UNKNOWN, stranger), watch(executionId, stranger)]);
    assert.deepEqual(
      [hidden.code, hidden.details, hidden.errorCode],
      [unknown.code, unknown.details, unknown.errorCode],
    );
  });

  it('ends with OK after the last event of a finished run', async () => {
    const finished = await watch(executionId, owner);
    assert.equal(finished.code, status.OK, finished.details);
    assert.equal(finished.events.at(-1)?.final, true);
    assert.equal(finished.events.at(-1)?.status, 'completed');
  });
});
