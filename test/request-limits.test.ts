/**
 * One definition of an execute request for every door (issue 9, findings 7 and 11): gRPC
 * ExecuteWorkflow is held to the REST body's limits (1,000 variable keys), and `variables` of
 * execute and test are capped at VARIABLES_LIMIT_BYTES serialized, on REST and gRPC alike.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Client, credentials, loadPackageDefinition, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { LOADER_OPTIONS, protoPath } from '../src/grpc/proto.ts';
import { toProtoStruct } from '../src/grpc/struct.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { type Envelope, executeWorkflow, publishWorkflow, workflowBuilder } from './helpers/workflows.ts';

type Message = Record<string, unknown>;
type Unary = (request: Message, metadata: Metadata, callback: (error: ServiceError | null) => void) => void;

// biome-ignore lint/suspicious/noExplicitAny: the generated package is untyped by nature.
const WorkflowService = (loadPackageDefinition(loadSync(protoPath(), LOADER_OPTIONS)) as any).waddlebot.workflow
  .WorkflowService;

const build = workflowBuilder({ name: 'limits', entity_id: ENTITY_ID });
const manual = build({ start: ['trigger_manual'], set: ['data_variable_set', { variables: { x: 1 } }] }, [
  'start -> set',
]);

describe('request limits on every door', () => {
  let t: TestApp;
  let owner: string;
  let client: Client & Record<string, Unary>;
  let workflowId: string;
  before(async () => {
    t = await createTestApp({ VARIABLES_LIMIT_BYTES: '65536' });
    owner = await t.token({ userId: 'owner' });
    client = new WorkflowService(`127.0.0.1:${t.app.features.grpc.port()}`, credentials.createInsecure());
    workflowId = await publishWorkflow(t, owner, manual);
  });
  after(async () => {
    client.close();
    await t.close();
  });

  function grpcExecute(variables: Record<string, unknown>): Promise<ServiceError | null> {
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${owner}`);
    return new Promise((resolve) => {
      client.ExecuteWorkflow({ workflow_id: workflowId, variables: toProtoStruct(variables) }, metadata, (error) =>
        resolve(error),
      );
    });
  }

  const manyKeys = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i]));
  const large = { blob: 'x'.repeat(70_000) };

  it('gRPC ExecuteWorkflow refuses more than 1,000 variable keys, as REST does', async () => {
    const rest = await executeWorkflow(t, owner, workflowId, { variables: manyKeys });
    assert.equal(rest.statusCode, 400, rest.body);
    const error = await grpcExecute(manyKeys);
    assert.equal(error?.code, status.INVALID_ARGUMENT, error?.message);
    assert.match(error?.details ?? '', /variables/);
    assert.equal(await grpcExecute({ a: 1 }), null);
  });

  it('variables larger than VARIABLES_LIMIT_BYTES are refused on execute, test and gRPC', async () => {
    const rest = await executeWorkflow(t, owner, workflowId, { variables: large });
    assert.equal(rest.statusCode, 413, rest.body);
    assert.match(json<Envelope>(rest).error?.message ?? '', /VARIABLES_LIMIT_BYTES/);
    const tested = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${workflowId}/test`,
      token: owner,
      payload: { variables: large },
    });
    assert.equal(tested.statusCode, 413, tested.body);
    const error = await grpcExecute(large);
    assert.equal(error?.code, status.INVALID_ARGUMENT, error?.message);
    assert.match(error?.details ?? '', /VARIABLES_LIMIT_BYTES/);
    const fits = await executeWorkflow(t, owner, workflowId, { variables: { blob: 'x'.repeat(60_000) } });
    assert.equal(fits.statusCode, 202, fits.body);
  });
});
