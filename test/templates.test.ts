/**
 * Every shipped template: listed at GET /api/v1/workflows/templates, created by import, published
 * and run through /test with the trigger it is made for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import type { Envelope, OutboxEntry } from './helpers/workflows.ts';

interface Template {
  template_id: string;
  name: string;
  trigger_types: string[];
  workflow: Record<string, unknown>;
}
interface TestRun {
  status: string;
  error_message: string | null;
  final_output: Record<string, unknown>;
  outbox: OutboxEntry[];
}

/** A chat command's trigger data as the events route builds it. */
function command(message: string) {
  const [name, ...args] = message.split(' ');
  return {
    platform: 'twitch',
    channel_id: 'chan-1',
    message_id: 'msg-1',
    user_id: 'u-42',
    message,
    command: name,
    args,
    args_text: args.join(' '),
  };
}

/** For each template: the /test body of a realistic trigger, and what the run must say or end with. */
const CASES: Record<string, { body: Record<string, unknown>; says?: RegExp; output?: Record<string, unknown> }> = {
  shoutout: {
    body: {
      trigger_data: { ...command('!so coolstreamer'), username: 'mod_mia', is_mod: true },
    },
    says: /Go give @coolstreamer a follow at https:\/\/twitch\.tv\/coolstreamer/,
    output: { shouted: 'coolstreamer' },
  },
  'welcome-follow': {
    body: { trigger_data: { event_type: 'follow', platform: 'twitch', user_id: 'u-7', username: 'newfan', data: {} } },
    says: /^Welcome aboard newfan, thanks for the follow!/,
  },
  'raid-thanks': {
    body: { trigger_data: { event_type: 'raid', platform: 'twitch', username: 'bigraider', data: { viewers: 42 } } },
    says: /bigraider is raiding with 42 viewers/,
    output: { raider: 'bigraider', viewers: 42 },
  },
  'sub-hype': {
    body: {
      trigger_data: {
        event_type: 'subscription',
        platform: 'twitch',
        username: 'whale',
        data: { tier: '3000', months: 12 },
      },
    },
    says: /whale just subscribed at tier 3 for 12 months/,
    output: { subscriber: 'whale', tier: '3000' },
  },
  'github-release': {
    body: {
      trigger_data: {
        action: 'published',
        release: { tag_name: 'v2.1.0', html_url: 'https://github.com/acme/bot/releases/tag/v2.1.0', prerelease: false },
        repository: { full_name: 'acme/bot' },
      },
    },
    says: /acme\/bot v2\.1\.0 is out: https:\/\/github\.com\/acme\/bot\/releases\/tag\/v2\.1\.0/,
    output: { announced: 'v2.1.0' },
  },
  'hourly-reminder': {
    body: {
      trigger_data: {
        schedule_id: 's-1',
        scheduled_for: '2026-12-01T14:00:00.000Z',
        fired_at: '2026-12-01T14:00:00.120Z',
      },
    },
    says: /Hit follow, and remember to drink some water/,
    output: { fired_for: '2026-12-01T14:00:00.000Z' },
  },
  'giveaway-raffle': {
    body: { trigger_data: { ...command('!raffle ann bo cy dee'), username: 'mod_mia', is_mod: true } },
    says: /The winner is (ann|bo|cy|dee) \(ticket #[0-3] of 4\)/,
  },
  uptime: {
    body: {
      trigger_data: { ...command('!uptime'), username: 'viewer1' },
      mock_outputs: { fetch: { status: 200, headers: {}, body: { uptime: '3h 12m' } } },
    },
    says: /^The stream has been live for 3h 12m\.$/,
    output: { uptime: '3h 12m' },
  },
};

describe('templates gallery', () => {
  let t: TestApp;
  let token: string;
  let templates: Template[];

  before(async () => {
    t = await createTestApp();
    token = await t.token({ userId: 'owner', entities: [ENTITY_ID] });
    const listed = await t.request({ method: 'GET', url: '/api/v1/workflows/templates', token });
    assert.equal(listed.statusCode, 200, listed.body);
    templates = json<Envelope<Template[]>>(listed).data;
    const credential = await t.request({
      method: 'POST',
      url: '/api/v1/credentials',
      token,
      payload: { entity_id: ENTITY_ID, name: 'uptime_api', type: 'api_key', fields: { token: 'uptime-token-123' } },
    });
    assert.equal(credential.statusCode, 201, credential.body);
  });
  after(() => t.close());

  it('ships at least the 8 chat-bot templates, each with a test case here', () => {
    assert.ok(templates.length >= 8);
    assert.deepEqual(templates.map((tpl) => tpl.template_id).sort(), Object.keys(CASES).sort());
    for (const tpl of templates) assert.ok(tpl.trigger_types.length > 0, tpl.template_id);
  });

  for (const [templateId, expected] of Object.entries(CASES)) {
    it(`${templateId}: creates, publishes and runs with a realistic trigger`, async () => {
      const template = templates.find((tpl) => tpl.template_id === templateId);
      assert.ok(template, templateId);
      const imported = await t.request({
        method: 'POST',
        url: '/api/v1/workflows/import',
        token,
        payload: { entity_id: ENTITY_ID, workflow: template.workflow },
      });
      assert.equal(imported.statusCode, 201, imported.body);
      const created =
        json<
          Envelope<{
            workflow_id: string;
            missing_credentials: string[];
            validation: { is_valid: boolean; errors: string[] };
          }>
        >(imported).data;
      assert.deepEqual(created.missing_credentials, []);
      assert.equal(created.validation.is_valid, true, created.validation.errors.join('\n'));
      const published = await t.request({
        method: 'POST',
        url: `/api/v1/workflows/${created.workflow_id}/publish`,
        token,
      });
      assert.equal(published.statusCode, 200, published.body);
      const tested = await t.request({
        method: 'POST',
        url: `/api/v1/workflows/${created.workflow_id}/test`,
        token,
        payload: expected.body,
      });
      assert.equal(tested.statusCode, 200, tested.body);
      const run = json<Envelope<TestRun>>(tested).data;
      assert.equal(run.status, 'completed', run.error_message ?? '');
      const messages = run.outbox
        .filter((entry) => entry.kind === 'chat_message')
        .map((entry) => String(entry.payload.message));
      if (expected.says)
        assert.ok(
          messages.some((message) => expected.says?.test(message)),
          messages.join(' | '),
        );
      for (const [key, value] of Object.entries(expected.output ?? {}))
        assert.deepEqual(run.final_output[key], value, key);
    });
  }
});
