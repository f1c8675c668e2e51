/**
 * POST /api/v1/workflows/events and the SSE live view, through the whole app on SQLite or
 * PostgreSQL: published triggers start real executions, archive and republish change what
 * matches, the index is rebuilt from the database at start, and the scope is enforced.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTriggerIndex } from '../src/services/trigger-index.ts';
import { loadAllTriggers } from '../src/services/trigger-sync.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { COMMUNITY_ID, ENTITY_ID, greetingWorkflow } from './helpers/fixtures.ts';
import { type Envelope, publishWorkflow, waitForExecution } from './helpers/workflows.ts';

interface DispatchAnswer {
  matched: Array<{ workflow_id: string; node_id: string; execution_id: string }>;
  skipped: Array<{ workflow_id: string; node_id: string; reason: string }>;
}

describe('events dispatch', () => {
  let t: TestApp;
  let owner: string;
  let router: string;

  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: '42' });
    router = await t.token({ userId: 'router', scope: 'workflows:dispatch' });
  });
  after(() => t.close());

  const publish = (body: Record<string, unknown>) => publishWorkflow(t, owner, body);

  async function dispatch(event: Record<string, unknown>, token = router) {
    return t.request({ method: 'POST', url: '/api/v1/workflows/events', token, payload: event });
  }

  const chat = (message: string, extra: Record<string, unknown> = {}) => ({
    type: 'command',
    entity_id: ENTITY_ID,
    community_id: COMMUNITY_ID,
    platform: 'twitch',
    user_id: 'viewer-1',
    username: 'viewer',
    channel_id: 'chan-1',
    message_id: 'msg-1',
    message,
    ...extra,
  });

  const finished = (executionId: string) => waitForExecution(t, owner, executionId, { intervalMs: 20 });

  it('starts one execution per matching workflow with the command trigger data', async () => {
    const id = await publish(greetingWorkflow({ nodes: { ...greetingWorkflow().nodes } }));
    const response = await dispatch(chat('!TEST hello world'));
    assert.equal(response.statusCode, 202, response.body);
    const answer = json<Envelope<DispatchAnswer>>(response).data;
    const mine = answer.matched.filter((m) => m.workflow_id === id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].node_id, 'node1');
    const execution = await finished(mine[0].execution_id);
    assert.equal(execution.status, 'completed');
    assert.equal(execution.trigger_source, 'command');
    const variables = execution.final_variables as Record<string, unknown>;
    assert.deepEqual(variables.args, ['hello', 'world']);
    assert.equal(variables.args_text, 'hello world');
    assert.equal(variables.username, 'viewer');
    const outbox = execution.outbox as Array<{ payload: Record<string, unknown> }>;
    assert.equal(outbox[0].payload.message, 'Hello, viewer!');
    assert.equal(outbox[0].payload.channel_id, 'chan-1');
  });

  it('no longer matches an archived workflow, nor a new version that drops the trigger', async () => {
    const archived = await publish(
      greetingWorkflow({
        nodes: { t: { node_type: 'trigger_command', config: { command_name: '!gone' } } },
        connections: [],
      }),
    );
    const changed = await publish(
      greetingWorkflow({
        nodes: { t: { node_type: 'trigger_command', config: { command_name: '!gone' } } },
        connections: [],
      }),
    );
    const before = json<Envelope<DispatchAnswer>>(await dispatch(chat('!gone'))).data;
    assert.deepEqual(before.matched.map((m) => m.workflow_id).sort(), [archived, changed].sort());

    assert.equal(
      (await t.request({ method: 'DELETE', url: `/api/v1/workflows/${archived}`, token: owner })).statusCode,
      200,
    );
    const put = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${changed}`,
      token: owner,
      payload: {
        nodes: { t: { node_type: 'trigger_command', config: { command_name: '!renamed' } } },
        connections: [],
      },
    });
    assert.equal(put.statusCode, 200, put.body);
    // An unpublished edit changes nothing yet.
    assert.deepEqual(
      json<Envelope<DispatchAnswer>>(await dispatch(chat('!gone'))).data.matched.map((m) => m.workflow_id),
      [changed],
    );
    assert.equal(
      (await t.request({ method: 'POST', url: `/api/v1/workflows/${changed}/publish`, token: owner })).statusCode,
      200,
    );
    assert.deepEqual(json<Envelope<DispatchAnswer>>(await dispatch(chat('!gone'))).data, { matched: [], skipped: [] });
    assert.deepEqual(
      json<Envelope<DispatchAnswer>>(await dispatch(chat('!renamed'))).data.matched.map((m) => m.workflow_id),
      [changed],
    );
  });

  it('matches events by type and filters, and reports cooldown and require_mod skips', async () => {
    const sub = await publish({
      name: 'Tier 3 subs',
      entity_id: ENTITY_ID,
      nodes: {
        e: {
          node_type: 'trigger_event',
          config: { event_type: 'subscription', event_filters: { 'data.tier': '3000' } },
        },
      },
      connections: [],
    });
    const event = (tier: string) => ({
      type: 'event',
      entity_id: ENTITY_ID,
      platform: 'twitch',
      user_id: 9,
      event_type: 'subscription',
      data: { tier },
    });
    assert.deepEqual(json<Envelope<DispatchAnswer>>(await dispatch(event('1000'))).data.matched, []);
    const hit = json<Envelope<DispatchAnswer>>(await dispatch(event('3000'))).data;
    assert.deepEqual(
      hit.matched.map((m) => m.workflow_id),
      [sub],
    );
    const execution = await finished(hit.matched[0].execution_id);
    assert.equal(execution.trigger_source, 'event');
    assert.deepEqual((execution.final_variables as Record<string, unknown>).data, { tier: '3000' });

    const guarded = await publish({
      name: 'Mod only, cooled',
      entity_id: ENTITY_ID,
      nodes: {
        c: {
          node_type: 'trigger_command',
          config: { command_name: '!clear', require_mod: true, cooldown_seconds: 60 },
        },
      },
      connections: [],
    });
    const reasons = async (extra: Record<string, unknown>) =>
      json<Envelope<DispatchAnswer>>(await dispatch(chat('!clear', extra))).data;
    assert.deepEqual((await reasons({})).skipped, [{ workflow_id: guarded, node_id: 'c', reason: 'require_mod' }]);
    assert.equal((await reasons({ is_mod: true })).matched.length, 1);
    assert.deepEqual((await reasons({ is_mod: true })).skipped, [
      { workflow_id: guarded, node_id: 'c', reason: 'cooldown' },
    ]);
  });

  it('builds the index from the database at start', async () => {
    const id = await publish(
      greetingWorkflow({
        nodes: { s: { node_type: 'trigger_command', config: { command_name: '!boot' } } },
        connections: [],
      }),
    );
    const index = createTriggerIndex();
    await loadAllTriggers(t.app.database.db, index);
    assert.deepEqual(
      index.commands(ENTITY_ID, '!BOOT').map((c) => c.workflowId),
      [id],
    );
    assert.equal(index.commands(ENTITY_ID, '!gone').length, 0);
  });

  it('refuses a token without the workflows:dispatch scope, and a bad body', async () => {
    const denied = await dispatch(chat('!test'), owner);
    assert.equal(denied.statusCode, 403);
    assert.equal(json<Envelope>(denied).error?.code, 'FORBIDDEN');
    const unknownField = await dispatch(chat('!test', { colour: 'red' }));
    assert.equal(unknownField.statusCode, 400);
    assert.match(json<Envelope>(unknownField).error?.message ?? '', /colour/);
    const badType = await dispatch(chat('!test', { type: 'whisper' }));
    assert.equal(badType.statusCode, 400);
    const noCommand = await dispatch(chat('', {}));
    assert.equal(noCommand.statusCode, 400);
    assert.equal(
      (await t.request({ method: 'POST', url: '/api/v1/workflows/events', payload: chat('!test') })).statusCode,
      401,
    );
  });

  it('streams the node events of a run as Server-Sent Events, ending with its status', async () => {
    const id = await publish({
      name: 'Slow',
      entity_id: ENTITY_ID,
      nodes: {
        t: { node_type: 'trigger_command', config: { command_name: '!slow' } },
        wait: { node_type: 'action_delay', config: { delay_ms: 400 } },
        end: { node_type: 'flow_end', config: { final_output: { done: true } } },
      },
      connections: [
        { from_node_id: 't', from_port_name: 'output', to_node_id: 'wait', to_port_name: 'input' },
        { from_node_id: 'wait', from_port_name: 'output', to_node_id: 'end', to_port_name: 'input' },
      ],
    });
    const answer = json<Envelope<DispatchAnswer>>(await dispatch(chat('!slow'))).data;
    const executionId = answer.matched.find((m) => m.workflow_id === id)?.execution_id;
    assert.ok(executionId);
    const stream = await t.request({
      method: 'GET',
      url: `/api/v1/workflows/executions/${executionId}/events`,
      token: owner,
    });
    assert.equal(stream.statusCode, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    const frames = stream.body
      .split('\n\n')
      .filter((frame) => frame.startsWith('event:'))
      .map((frame) => {
        const [eventLine, dataLine] = frame.split('\n');
        return { event: eventLine.slice('event: '.length), data: JSON.parse(dataLine.slice('data: '.length)) };
      });
    const completed = frames
      .filter((f) => f.event === 'node' && f.data.status === 'completed')
      .map((f) => f.data.node_id);
    assert.deepEqual(completed.slice(-2), ['wait', 'end']);
    const last = frames.at(-1);
    assert.equal(last?.event, 'end');
    assert.equal(last?.data.status, 'completed');
    assert.deepEqual(last?.data.output, { done: true });

    // A finished run answers at once from its record: each node, then its final event.
    const again = await t.request({
      method: 'GET',
      url: `/api/v1/workflows/executions/${executionId}/events`,
      token: owner,
    });
    const replayed = again.body.split('\n\n').filter((frame) => frame.startsWith('event:'));
    assert.deepEqual(
      replayed.map((frame) => JSON.parse(frame.split('\n')[1].slice('data: '.length)).node_id),
      ['t', 'wait', 'end', null],
    );
    assert.match(replayed.at(-1) ?? '', /^event: end\ndata: .*"status":"completed"/);
    const stranger = await t.token({ userId: 'stranger' });
    const hidden = await t.request({
      method: 'GET',
      url: `/api/v1/workflows/executions/${executionId}/events`,
      token: stranger,
    });
    assert.equal(hidden.statusCode, 404);
  });
});
