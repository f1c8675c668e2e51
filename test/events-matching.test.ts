/**
 * Command and event matching through the trigger index and the dispatcher, with a recording
 * execution starter and an in-memory cooldown store on a fake clock (no database).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { WorkflowNode } from '../src/core/workflow.ts';
import { AppError } from '../src/errors.ts';
import { createMemoryCooldowns } from '../src/services/cooldowns.ts';
import { commandTriggerData, type DispatchEvent } from '../src/services/dispatch-event.ts';
import { createEventDispatcher } from '../src/services/event-dispatcher.ts';
import type { StartExecutionInput } from '../src/services/execution-types.ts';
import { createTriggerIndex, triggersOf } from '../src/services/trigger-index.ts';

const ENTITY = 7;

function harness(options: { failFor?: string } = {}) {
  let clock = 1_000_000;
  const index = createTriggerIndex();
  const started: StartExecutionInput[] = [];
  const dispatcher = createEventDispatcher({
    index,
    cooldowns: createMemoryCooldowns({ now: () => clock }),
    logger: pino({ level: 'silent' }),
    executions: {
      async start(input) {
        if (input.workflowId === options.failFor) throw new AppError('WORKFLOW_NOT_ACTIVE', 'archived meanwhile');
        started.push(input);
        return {
          execution_id: `exec-${started.length}`,
          workflow_id: input.workflowId,
          workflow_version: 1,
          status: 'queued',
          queued_at: '',
          start_time: null,
          execution_path: [],
        };
      },
      async prepare() {
        throw new Error('not used');
      },
    },
  });
  function publish(workflowId: string, nodes: Record<string, WorkflowNode>, version = 1, entityId = ENTITY) {
    index.replace(
      workflowId,
      entityId,
      version,
      triggersOf({ workflowId, entityId, communityId: null, version }, nodes),
    );
  }
  const command = (config: Record<string, unknown>): Record<string, WorkflowNode> => ({
    t: { node_type: 'trigger_command', config },
    m: { node_type: 'action_chat_message', config: { message: 'hi' } },
  });
  const send = (event: Partial<DispatchEvent>) =>
    dispatcher.dispatch({
      type: 'command',
      entity_id: ENTITY,
      platform: 'twitch',
      user_id: 'u1',
      ...event,
    } as DispatchEvent);
  const matchedIds = async (event: Partial<DispatchEvent>) =>
    (await send(event)).matched.map((m) => m.workflow_id).sort();
  return { index, started, dispatcher, publish, command, send, matchedIds, advance: (ms: number) => (clock += ms) };
}

describe('command names', () => {
  it('match case-insensitively by default, prefix character included', async () => {
    const h = harness();
    h.publish('wf', h.command({ command_name: '!SO' }));
    for (const command of ['!so', '!So', '!SO']) assert.deepEqual(await h.matchedIds({ command }), ['wf'], command);
    for (const command of ['so', 'SO', '?so', '!sox', '!s'])
      assert.deepEqual(await h.matchedIds({ command }), [], command);
    assert.deepEqual(await h.matchedIds({ message: 'so hello' }), []);
    h.publish('test', h.command({ command_name: '!test' }));
    assert.deepEqual(await h.matchedIds({ message: '!test hello' }), ['test']);
    assert.deepEqual(await h.matchedIds({ message: 'test hello' }), []);
    assert.deepEqual(await h.matchedIds({ command: 'test' }), []);
  });

  it('a trigger without a prefix matches only the bare word', async () => {
    const h = harness();
    h.publish('bare', h.command({ command_name: 'test' }));
    assert.deepEqual(await h.matchedIds({ message: 'test hello' }), ['bare']);
    assert.deepEqual(await h.matchedIds({ message: '!test hello' }), []);
    assert.deepEqual(await h.matchedIds({ command: '!test' }), []);
  });

  it('match exactly when case_sensitive', async () => {
    const h = harness();
    h.publish('wf', h.command({ command_name: '!SO', case_sensitive: true }));
    assert.deepEqual(await h.matchedIds({ command: '!SO' }), ['wf']);
    assert.deepEqual(await h.matchedIds({ command: 'SO' }), []);
    assert.deepEqual(await h.matchedIds({ command: '!so' }), []);
    assert.deepEqual(await h.matchedIds({ command: '!So' }), []);
  });

  it('take the command from the first word of the message when `command` is absent', async () => {
    const h = harness();
    h.publish('wf', h.command({ command_name: '!so' }));
    const result = await h.send({
      message: '!SO  @streamer   hype',
      username: 'ann',
      channel_id: 'c1',
      message_id: 'm9',
    });
    assert.equal(result.matched.length, 1);
    assert.deepEqual(h.started[0].triggerData, {
      command: '!SO',
      args: ['@streamer', 'hype'],
      args_text: '@streamer   hype',
      message: '!SO  @streamer   hype',
      user_id: 'u1',
      username: 'ann',
      platform: 'twitch',
      channel_id: 'c1',
      message_id: 'm9',
      is_mod: false,
    });
    assert.equal(h.started[0].triggerSource, 'command');
    assert.deepEqual(h.started[0].triggerNodeIds, ['t']);
  });

  it('prefer given args over the words of the message', () => {
    const data = commandTriggerData({
      type: 'command',
      entity_id: 1,
      platform: 'x',
      user_id: 1,
      command: 'so',
      message: '!so a b',
      args: ['z'],
    });
    assert.deepEqual([data.args, data.args_text], [['z'], 'z']);
  });

  it('only reach workflows of the event entity', async () => {
    const h = harness();
    h.publish('mine', h.command({ command_name: '!so' }));
    h.publish('other', h.command({ command_name: '!so' }), 1, ENTITY + 1);
    assert.deepEqual(await h.matchedIds({ command: '!so' }), ['mine']);
  });
});

describe('platforms and require_mod', () => {
  it('an empty platform list is every platform; a list is compared without case', async () => {
    const h = harness();
    h.publish('any', h.command({ command_name: '!so', platforms: [] }));
    h.publish('twitch', h.command({ command_name: '!so', platforms: ['Twitch'] }));
    h.publish('discord', h.command({ command_name: '!so', platforms: ['discord', 'slack'] }));
    assert.deepEqual(await h.matchedIds({ command: '!so', platform: 'twitch' }), ['any', 'twitch']);
    assert.deepEqual(await h.matchedIds({ command: '!so', platform: 'slack' }), ['any', 'discord']);
  });

  it('require_mod skips non-moderators with a reason', async () => {
    const h = harness();
    h.publish('wf', h.command({ command_name: '!ban', require_mod: true }));
    const viewer = await h.send({ command: '!ban' });
    assert.deepEqual(viewer, { matched: [], skipped: [{ workflow_id: 'wf', node_id: 't', reason: 'require_mod' }] });
    const mod = await h.send({ command: '!ban', is_mod: true });
    assert.equal(mod.matched.length, 1);
    assert.equal(h.started[0].triggerData?.is_mod, true);
  });
});

describe('cooldowns', () => {
  it('cooldown_seconds holds the trigger for everyone until it passes', async () => {
    const h = harness();
    h.publish('wf', h.command({ command_name: '!so', cooldown_seconds: 30 }));
    assert.equal((await h.send({ command: '!so', user_id: 'a' })).matched.length, 1);
    assert.deepEqual((await h.send({ command: '!so', user_id: 'b' })).skipped, [
      { workflow_id: 'wf', node_id: 't', reason: 'cooldown' },
    ]);
    h.advance(29_000);
    assert.equal((await h.send({ command: '!so', user_id: 'b' })).matched.length, 0);
    h.advance(1_001);
    assert.equal((await h.send({ command: '!so', user_id: 'b' })).matched.length, 1);
  });

  it('user_cooldown_seconds holds it per user, and a refusal does not eat the trigger cooldown', async () => {
    const h = harness();
    h.publish('wf', h.command({ command_name: '!so', cooldown_seconds: 5, user_cooldown_seconds: 60 }));
    assert.equal((await h.send({ command: '!so', user_id: 'a' })).matched.length, 1);
    h.advance(6_000);
    assert.deepEqual(
      (await h.send({ command: '!so', user_id: 'a' })).skipped.map((s) => s.reason),
      ['user_cooldown'],
    );
    assert.equal((await h.send({ command: '!so', user_id: 'b' })).matched.length, 1);
    assert.deepEqual(
      (await h.send({ command: '!so', user_id: 'c' })).skipped.map((s) => s.reason),
      ['cooldown'],
    );
    h.advance(60_000);
    assert.equal((await h.send({ command: '!so', user_id: 'a' })).matched.length, 1);
  });

  it('are per trigger: two workflows on one command cool down apart', async () => {
    const h = harness();
    h.publish('one', h.command({ command_name: '!so', cooldown_seconds: 30 }));
    h.publish('two', h.command({ command_name: '!so' }));
    await h.send({ command: '!so' });
    assert.deepEqual(await h.matchedIds({ command: '!so' }), ['two']);
  });
});

describe('index upkeep', () => {
  it('archiving removes the triggers; a new version without the trigger no longer matches', async () => {
    const h = harness();
    h.publish('archived', h.command({ command_name: '!so' }));
    h.publish('changed', h.command({ command_name: '!so' }));
    h.index.remove('archived');
    h.publish('changed', h.command({ command_name: '!other' }), 2);
    assert.deepEqual(await h.matchedIds({ command: '!so' }), []);
    assert.deepEqual(await h.matchedIds({ command: '!other' }), ['changed']);
    h.publish('changed', { m: { node_type: 'trigger_manual' } }, 3);
    assert.deepEqual(await h.matchedIds({ command: '!other' }), []);
    assert.equal(h.index.workflowCount, 0);
  });

  it('ignores a late notice for an older version, and disabled trigger nodes', async () => {
    const h = harness();
    h.publish('wf', h.command({ command_name: '!new' }), 5);
    h.publish('wf', h.command({ command_name: '!old' }), 4);
    h.publish('off', { t: { node_type: 'trigger_command', enabled: false, config: { command_name: '!new' } } });
    assert.deepEqual(await h.matchedIds({ command: '!new' }), ['wf']);
    assert.deepEqual(await h.matchedIds({ command: '!old' }), []);
  });

  it('reports a match that could not start as skipped with the error code', async () => {
    const h = harness({ failFor: 'gone' });
    h.publish('gone', h.command({ command_name: '!so' }));
    h.publish('ok', h.command({ command_name: '!so' }));
    const result = await h.send({ command: '!so' });
    assert.deepEqual(
      result.matched.map((m) => m.workflow_id),
      ['ok'],
    );
    assert.deepEqual(result.skipped, [{ workflow_id: 'gone', node_id: 't', reason: 'workflow_not_active' }]);
  });
});

describe('events', () => {
  const eventNode = (config: Record<string, unknown>): Record<string, WorkflowNode> => ({
    e: { node_type: 'trigger_event', config },
  });
  const sendEvent = (
    h: ReturnType<typeof harness>,
    event_type: string,
    data: Record<string, unknown>,
    platform = 'twitch',
  ) =>
    h.dispatcher.dispatch({
      type: 'event',
      entity_id: ENTITY,
      platform,
      user_id: 42,
      username: 'sub',
      event_type,
      data,
    });

  it('match the event type and every filter (scalars compared as strings, objects deeply)', async () => {
    const h = harness();
    h.publish('any-sub', eventNode({ event_type: 'subscription' }));
    h.publish(
      'tier3',
      eventNode({ event_type: 'subscription', event_filters: { 'data.tier': 3000, 'data.gift': false } }),
    );
    h.publish('deep', eventNode({ event_type: 'subscription', event_filters: { 'data.meta': { a: [1] } } }));
    h.publish('follow', eventNode({ event_type: 'follow' }));
    const ids = async (data: Record<string, unknown>) =>
      (await sendEvent(h, 'subscription', data)).matched.map((m) => m.workflow_id).sort();
    assert.deepEqual(await ids({ tier: '3000', gift: false }), ['any-sub', 'tier3']);
    assert.deepEqual(await ids({ tier: '1000', gift: false }), ['any-sub']);
    assert.deepEqual(await ids({ tier: 3000 }), ['any-sub']);
    assert.deepEqual(await ids({ meta: { a: [1] } }), ['any-sub', 'deep']);
    assert.deepEqual(await ids({ meta: { a: ['1'] } }), ['any-sub']);
  });

  it('hand the event trigger data to the run, and respect platforms', async () => {
    const h = harness();
    h.publish('wf', eventNode({ event_type: 'raid', platforms: ['twitch'], event_filters: { username: 'sub' } }));
    assert.equal((await sendEvent(h, 'raid', { viewers: 5 }, 'discord')).matched.length, 0);
    assert.equal((await sendEvent(h, 'raid', { viewers: 5 })).matched.length, 1);
    assert.deepEqual(h.started[0].triggerData, {
      event_type: 'raid',
      platform: 'twitch',
      user_id: 42,
      username: 'sub',
      data: { viewers: 5 },
    });
    assert.equal(h.started[0].triggerSource, 'event');
  });

  it('refuse an event without event_type and a command without a command', async () => {
    const h = harness();
    await assert.rejects(
      h.dispatcher.dispatch({ type: 'event', entity_id: ENTITY, platform: 'x', user_id: 1 }),
      /event_type/,
    );
    await assert.rejects(h.send({ message: '   ' }), /command/);
  });
});
