/**
 * Credentials: write-only values behind the entity boundary, sealed at rest, resolved inside
 * nodes at run time and redacted from every record, answer, event and log line of the run.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import { CREDENTIALS_KEY_FILE } from '../src/credentials-key.ts';
import { keyIdOf } from '../src/services/credential-cipher.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from './helpers/database.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { type StubServer, startStubServer } from './helpers/stub-server.ts';
import { createWorkflow, type Envelope, publishWorkflow, workflowBuilder } from './helpers/workflows.ts';

const SECRET = `sk-live-${randomBytes(12).toString('hex')}`;
const workflow = workflowBuilder({ name: 'Uses a credential', entity_id: ENTITY_ID });

/** Every byte the database holds, as text: the SQLite files, or every row of the test's schema. */
async function databaseText(database: TestDatabase): Promise<string> {
  if (!database.schema) {
    const file = database.url.slice('sqlite:'.length);
    return [file, `${file}-wal`]
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path).toString('latin1'))
      .join('\n');
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const tables = await client.query('select table_name from information_schema.tables where table_schema = $1', [
      database.schema,
    ]);
    const parts: string[] = [];
    for (const { table_name } of tables.rows as { table_name: string }[]) {
      const rows = await client.query(`select t::text as row from ${database.schema}."${table_name}" t`);
      parts.push(...(rows.rows as { row: string }[]).map((r) => r.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

function memoryLogger(lines: string[]) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return pino({ level: 'trace' }, stream);
}

async function createCredential(t: TestApp, token: string, body: Record<string, unknown>) {
  return t.request({
    method: 'POST',
    url: '/api/v1/credentials',
    token,
    payload: { entity_id: ENTITY_ID, type: 'api_key', ...body },
  });
}

describe('credentials API', () => {
  let t: TestApp;
  let member: string;
  let outsider: string;

  before(async () => {
    t = await createTestApp();
    member = await t.token({ userId: 'm1', entities: [ENTITY_ID] });
    outsider = await t.token({ userId: 'o1', entities: [ENTITY_ID + 1] });
  });
  after(() => t.close());

  it('creates, lists, reads, updates and deletes without ever answering a value', async () => {
    const created = await createCredential(t, member, {
      name: 'twitch',
      fields: { client_id: 'abc123', secret: SECRET },
    });
    assert.equal(created.statusCode, 201, created.body);
    const view = json<Envelope<Record<string, unknown>>>(created).data;
    assert.deepEqual(view.fields, ['client_id', 'secret']);
    assert.equal(view.name, 'twitch');
    const id = view.credential_id as string;

    const duplicate = await createCredential(t, member, { name: 'twitch', fields: { x: 'yyy' } });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(json<Envelope>(duplicate).error?.code, 'CONFLICT');

    // A value too short to be redacted from a run's records is refused, naming the field; nothing changes.
    const short = await t.request({
      method: 'PUT',
      url: `/api/v1/credentials/${id}`,
      token: member,
      payload: { fields: { secret: 'ab' } },
    });
    assert.equal(short.statusCode, 400);
    assert.match(json<Envelope>(short).error?.message ?? '', /fields\.secret must NOT have fewer than 3 characters/);
    const shortCreate = await createCredential(t, member, { name: 'pin', fields: { pin: '12' } });
    assert.equal(shortCreate.statusCode, 400);

    const listed = await t.request({ method: 'GET', url: `/api/v1/credentials?entity_id=${ENTITY_ID}`, token: member });
    assert.equal(listed.statusCode, 200);
    const list = json<Envelope<Record<string, unknown>[]>>(listed);
    assert.equal(list.data.length, 1);
    assert.equal(list.meta?.pagination.total, 1);

    const updated = await t.request({
      method: 'PUT',
      url: `/api/v1/credentials/${id}`,
      token: member,
      payload: { fields: { client_id: null, refresh: 'r-value-1' }, description: 'bot account' },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.deepEqual(json<Envelope<Record<string, unknown>>>(updated).data.fields, ['refresh', 'secret']);

    const read = await t.request({ method: 'GET', url: `/api/v1/credentials/${id}`, token: member });
    assert.equal(read.statusCode, 200);
    for (const response of [created, listed, updated, read]) {
      assert.ok(
        !response.body.includes(SECRET) && !response.body.includes('abc123') && !response.body.includes('r-value-1'),
      );
    }

    // Outside the entity: listing is refused, the credential looks like an unknown one.
    const foreignList = await t.request({
      method: 'GET',
      url: `/api/v1/credentials?entity_id=${ENTITY_ID}`,
      token: outsider,
    });
    assert.equal(foreignList.statusCode, 403);
    const foreign = await t.request({ method: 'GET', url: `/api/v1/credentials/${id}`, token: outsider });
    const unknown = await t.request({
      method: 'GET',
      url: '/api/v1/credentials/00000000-0000-4000-8000-000000000000',
      token: member,
    });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.body, unknown.body);

    const deleted = await t.request({ method: 'DELETE', url: `/api/v1/credentials/${id}`, token: member });
    assert.equal(deleted.statusCode, 200);
    const gone = await t.request({ method: 'GET', url: `/api/v1/credentials/${id}`, token: member });
    assert.equal(gone.statusCode, 404);
  });

  it('reports an unknown credential name as a validation error', async () => {
    const id = await createWorkflow(
      t,
      member,
      workflow(
        { go: ['trigger_manual'], say: ['action_chat_message', { message: 'key {{ $credentials.nope.token }}' }] },
        ['go -> say'],
      ),
    );
    const validated = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/validate`, token: member });
    const result =
      json<Envelope<{ is_valid: boolean; errors: string[]; node_validation_errors: Record<string, string[]> }>>(
        validated,
      ).data;
    assert.equal(result.is_valid, false);
    assert.match(result.node_validation_errors.say[0], /credential 'nope' does not exist/);
    const published = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: member });
    assert.equal(published.statusCode, 400);
    assert.equal(json<Envelope>(published).error?.code, 'VALIDATION_FAILED');
  });
});

describe('a run that uses a credential', () => {
  let t: TestApp;
  let stub: StubServer;
  let token: string;
  const logs: string[] = [];

  before(async () => {
    // The stub echoes what it got, so the secret comes back in the node's output too.
    stub = await startStubServer((request) => ({
      status: 200,
      body: { got: request.headers.authorization, query: request.path, echoed: request.body },
    }));
    t = await createTestApp({ ALLOW_PRIVATE_NETWORK: 'true', LOG_LEVEL: 'trace' }, { logger: memoryLogger(logs) });
    token = await t.token({ userId: 'm1', entities: [ENTITY_ID] });
    const created = await createCredential(t, token, { name: 'api', fields: { token: SECRET } });
    assert.equal(created.statusCode, 201, created.body);
  });
  after(async () => {
    await t.close();
    await stub.close();
  });

  it('resolves the value inside the node and redacts it from everything the run leaves', async () => {
    const definition = workflow(
      {
        go: ['trigger_manual'],
        wait: ['action_delay', { delay_ms: 150 }],
        call: [
          'action_webhook',
          {
            url: `${stub.url}/hook`,
            headers: { Authorization: 'Bearer {{ $credentials.api.token }}' },
            query: { key: '{{ $credentials.api.token }}' },
            body: { token: '{{ $credentials.api.token }}' },
          },
        ],
        keep: [
          'data_variable_set',
          { variables: { leaked: '{{ $credentials.api.token }}', copy: '{{ nodes.call.output }}' } },
        ],
        say: ['action_chat_message', { message: 'the key is {{ $credentials.api.token }}' }],
        fail: [
          'flow_end',
          {
            status: 'failed',
            error_message: 'bad {{ $credentials.api.token }}',
            final_output: { k: '{{ $credentials.api.token }}' },
          },
        ],
      },
      ['go -> wait', 'wait -> call', 'call -> keep', 'keep -> say', 'say -> fail'],
    );
    const workflowId = await publishWorkflow(t, token, definition);
    const answers: string[] = [];
    const executed = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${workflowId}/execute`,
      token,
      payload: {},
    });
    assert.equal(executed.statusCode, 202, executed.body);
    answers.push(executed.body);
    const executionId = json<Envelope<{ execution_id: string }>>(executed).data.execution_id;
    const stream = await t.request({ method: 'GET', url: `/api/v1/workflows/executions/${executionId}/events`, token });
    answers.push(stream.body);
    assert.match(stream.body, /completed|failed/);

    const read = await t.request({
      method: 'GET',
      url: `/api/v1/workflows/executions/${executionId}?include_metrics=true`,
      token,
    });
    answers.push(read.body);
    const execution = json<Envelope<Record<string, unknown>>>(read).data;
    assert.equal(execution.status, 'failed');
    assert.match(String(execution.error_message), /\[redacted\]/);
    answers.push(
      (await t.request({ method: 'GET', url: `/api/v1/workflows/${workflowId}/executions?community_id=1`, token }))
        .body,
    );
    const tested = await t.request({ method: 'POST', url: `/api/v1/workflows/${workflowId}/test`, token, payload: {} });
    assert.equal(tested.statusCode, 200, tested.body);
    answers.push(tested.body);
    assert.match(tested.body, /\[redacted\]/);

    // The value did reach the far end, resolved at run time.
    assert.equal(stub.received[0].headers.authorization, `Bearer ${SECRET}`);
    assert.ok(stub.received[0].path.includes(SECRET));
    assert.ok(stub.received[0].body.includes(SECRET));
    assert.match(read.body, /\[redacted\]/);

    for (const answer of answers)
      assert.ok(!answer.includes(SECRET), `an answer holds the secret: ${answer.slice(0, 300)}`);
    await t.app.close();
    const stored = await databaseText(t.database);
    assert.ok(stored.length > 1000, 'the database was read');
    assert.ok(!stored.includes(SECRET), 'the database holds the secret in clear');
    assert.ok(logs.length > 0, 'the logs were captured');
    assert.ok(!logs.join('').includes(SECRET), 'a log line holds the secret');
  });
});

describe('credential keys', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.cleanup());

  it('generates a key in DATA_DIR (0600) when CREDENTIALS_KEY is unset', async () => {
    const t = await createTestApp({}, { database });
    await t.close();
    const path = join(database.dataDir, CREDENTIALS_KEY_FILE);
    assert.ok(existsSync(path));
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it('rotates: values sealed under the previous key still open and are re-sealed under the new one', async () => {
    const oldKey = randomBytes(32).toString('hex');
    const newKey = randomBytes(32).toString('base64');
    const first = await createTestApp({ CREDENTIALS_KEY: oldKey }, { database });
    const member = await first.token({ userId: 'm1', entities: [ENTITY_ID] });
    const created = await createCredential(first, member, { name: 'rotating', fields: { token: SECRET } });
    assert.equal(created.statusCode, 201, created.body);
    const definition = workflow(
      { go: ['trigger_manual'], done: ['flow_end', { final_output: { length: '{{ $credentials.rotating.token }}' } }] },
      ['go -> done'],
    );
    const workflowId = await publishWorkflow(first, member, definition);
    const keyIds = async (t: TestApp) => {
      const rows = await t.app.database.db.selectFrom('credentials').select('fields').execute();
      return rows
        .flatMap((row) => Object.values(JSON.parse(row.fields) as Record<string, { key_id: string }>))
        .map((v) => v.key_id);
    };
    assert.deepEqual(await keyIds(first), [keyIdOf(Buffer.from(oldKey, 'hex'))]);
    await first.close();

    const second = await createTestApp({ CREDENTIALS_KEY: newKey, CREDENTIALS_PREVIOUS_KEYS: oldKey }, { database });
    const deadline = Date.now() + 5000;
    while ((await keyIds(second))[0] !== keyIdOf(Buffer.from(newKey, 'base64')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(await keyIds(second), [keyIdOf(Buffer.from(newKey, 'base64'))]);
    await second.close();

    // Only the new key now: the run still opens the value (and redacts it from its output).
    const third = await createTestApp({ CREDENTIALS_KEY: newKey }, { database });
    const runToken = await third.token({ userId: 'm1', entities: [ENTITY_ID] });
    const run = await third.request({
      method: 'POST',
      url: `/api/v1/workflows/${workflowId}/execute`,
      token: runToken,
      payload: { wait_for_completion: true, timeout_seconds: 10 },
    });
    assert.equal(run.statusCode, 200, run.body);
    const finished = json<Envelope<{ status: string; final_output: Record<string, unknown> }>>(run).data;
    assert.equal(finished.status, 'completed');
    assert.deepEqual(finished.final_output, { length: '[redacted]' });
    await third.close();
  });
});
