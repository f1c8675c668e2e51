/**
 * Copy and paste through the system clipboard, as issue 11 asks: a selection copied in one tab
 * pastes into another workflow open in a second tab of the same browser, and JSON written by hand
 * (as from a text editor) in the API's node/connection shape pastes too. What lands is checked on
 * the server, where the autosave put it.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { call, definition } from './runs-api.ts';

interface Definition {
  readonly nodes: Record<string, { node_type: string; config?: Record<string, unknown> }>;
  readonly connections: { from_node_id: string; from_port_name: string; to_node_id: string }[];
}

const nodeOn = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

test('a copy in one tab pastes in another tab, and hand-written JSON pastes too', async ({ browser, server }) => {
  const token = await server.token('1');
  const create = async (def: ReturnType<typeof definition>) => {
    const { _ids, ...body } = def;
    const created = await call<{ workflow_id: string }>(server, token, 'POST', '/api/v1/workflows', body);
    expect(created.status).toBe(201);
    return created.data.workflow_id;
  };
  const source = await create(
    definition(
      'Copied from',
      { start: ['trigger_manual'], say: ['action_chat_message', { message: 'hi {{ username }}' }] },
      ['start -> say'],
    ),
  );
  const target = await create(definition('Pasted into', { only: ['trigger_manual'] }, []));

  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const first = await context.newPage();
  const second = await context.newPage();
  try {
    await first.goto(`${server.url}/workflows/${source}#token=${token}`);
    await nodeOn(first, 'start').locator('.node-head').click();
    await nodeOn(first, 'say')
      .locator('.node-head')
      .click({ modifiers: ['Control'] });
    await first.locator('.react-flow__pane').focus();
    await first.keyboard.press('Control+C');
    const copied = JSON.parse(await first.evaluate(() => navigator.clipboard.readText())) as Definition;
    expect(Object.keys(copied.nodes).sort()).toEqual(['say', 'start']);
    expect(copied.nodes.say.config).toEqual({ message: 'hi {{ username }}' });
    expect(copied.connections).toEqual([expect.objectContaining({ from_node_id: 'start', to_node_id: 'say' })]);

    // Another tab has its own page state: what it pastes can only have come through the clipboard.
    await second.goto(`${server.url}/workflows/${target}#token=${token}`);
    await expect(nodeOn(second, 'only')).toBeVisible();
    await second.locator('.react-flow__pane').focus();
    await second.keyboard.press('Control+V');
    await expect(nodeOn(second, 'trigger_manual_1')).toBeVisible();
    await expect(nodeOn(second, 'action_chat_message_1')).toContainText('action_chat_message');
    await expect(second.locator('.react-flow__edge')).toHaveCount(1);

    // As typed in a text editor: the API's shape, nothing the editor wrote.
    const typed =
      '{ "nodes": { "bye": { "node_type": "flow_end", "label": "Done", "position": { "x": 40, "y": 240 } } } }';
    await second.evaluate((text) => navigator.clipboard.writeText(text), typed);
    await second.locator('.react-flow__pane').focus();
    await second.keyboard.press('Control+V');
    await expect(nodeOn(second, 'flow_end_1')).toContainText('Done');
    await expect(second.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();

    const stored = await call<Definition>(server, token, 'GET', `/api/v1/workflows/${target}`);
    expect(Object.keys(stored.data.nodes).sort()).toEqual([
      'action_chat_message_1',
      'flow_end_1',
      'only',
      'trigger_manual_1',
    ]);
    expect(stored.data.nodes.action_chat_message_1.config).toEqual({ message: 'hi {{ username }}' });
    expect(stored.data.connections).toEqual([
      expect.objectContaining({
        from_node_id: 'trigger_manual_1',
        from_port_name: 'output',
        to_node_id: 'action_chat_message_1',
      }),
    ]);
  } finally {
    await context.close();
  }
});
