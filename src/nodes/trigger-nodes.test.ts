import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { enabledTriggers } from './enabled-triggers.ts';
import { getNodeType } from './registry.ts';
import { createTestContext, runNode } from './test-context.fixture.ts';
import { triggerCommand } from './trigger-command.ts';
import { cronProblem, timezoneProblem } from './trigger-schedule.ts';

const triggerData = { command: '!so', args: ['bob'], user_id: 'u1', platform: 'twitch' };

describe('trigger executors', () => {
  for (const [type, config] of [
    ['trigger_command', { command_name: '!so' }],
    ['trigger_event', { event_type: 'follow' }],
    ['trigger_webhook', {}],
    ['trigger_schedule', { cron: '@hourly' }],
    ['trigger_manual', {}],
  ] as const) {
    test(`${type} hands the trigger data on through output`, async () => {
      const context = createTestContext({ variables: { trigger: triggerData, other: 1 } });
      const result = await runNode(type, config, context);
      assert.deepEqual(result.output, triggerData);
      assert.deepEqual(result.ports, ['output']);
      assert.equal(result.control, undefined);
    });
  }

  test('a trigger without trigger data outputs an empty object', async () => {
    const result = await runNode('trigger_manual', {});
    assert.deepEqual(result.output, {});
  });
});

describe('trigger semantic checks', () => {
  test('cron: 5 and 6 fields, names and nicknames are valid', () => {
    for (const cron of [
      '*/5 * * * *',
      '0 */10 * * * *',
      '0 9 * * MON-FRI',
      '0 0 1 JAN *',
      '@hourly',
      '@daily',
      '@weekly',
    ]) {
      assert.equal(cronProblem(cron, 'UTC'), null, cron);
    }
  });

  test('cron: wrong field counts, out-of-range values and never-firing patterns are reported', () => {
    for (const cron of ['* * * *', '* * * * * * *', '61 * * * *', 'every minute', '0 0 30 2 *']) {
      assert.match(cronProblem(cron, 'UTC') ?? '', /config field 'cron'/, cron);
    }
  });

  test('timezones must be IANA names', () => {
    assert.equal(timezoneProblem('Europe/Berlin'), null);
    assert.equal(timezoneProblem('UTC'), null);
    assert.match(timezoneProblem('Mars/Olympus') ?? '', /not a known IANA timezone/);
  });

  test('trigger_event filter keys must be paths', () => {
    const node = getNodeType('trigger_event');
    assert.deepEqual(node?.validateConfig?.({ event_type: 'sub', event_filters: { 'data.tier': '1000' } }), []);
    assert.equal(node?.validateConfig?.({ event_type: 'sub', event_filters: { 'data..tier': '1' } }).length, 1);
  });
});

describe('enabledTriggers', () => {
  test('takes the enabled nodes of one kind in definition order, with their defaults filled in', () => {
    const nodes = {
      b: { node_type: 'trigger_command', config: { command_name: '!b', cooldown_seconds: 5 } },
      off: { node_type: 'trigger_command', enabled: false, config: { command_name: '!off' } },
      event: { node_type: 'trigger_event', config: { event_type: 'follow' } },
      a: { node_type: 'trigger_command', enabled: true, config: { command_name: '!a' } },
    };
    const found = enabledTriggers(nodes, triggerCommand);
    assert.deepEqual(
      found.map((node) => node.nodeId),
      ['b', 'a'],
    );
    assert.deepEqual(found[0].config, {
      command_name: '!b',
      platforms: [],
      case_sensitive: false,
      require_mod: false,
      cooldown_seconds: 5,
      user_cooldown_seconds: 0,
    });
    assert.deepEqual(nodes.b.config, { command_name: '!b', cooldown_seconds: 5 }, 'the snapshot is not touched');
  });
});
