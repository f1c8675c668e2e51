/**
 * The editor end to end (issue 11's 13 steps) against a real serve: sign in with a CLI token,
 * build a workflow from the palette, wire and configure it, reload, publish, test, undo/redo,
 * copy/paste, validation errors, a version conflict from a second tab, and an axe check. Each
 * step keeps a screenshot in test-results/screenshots.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, noSeriousViolations, signIn, test } from './fixtures.ts';

const nodeOn = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const handle = (page: Page, id: string, kind: 'source' | 'target', port: string) =>
  nodeOn(page, id).locator(`.react-flow__handle.${kind}[data-handleid="${port}"]`);

async function dragBetween(page: Page, from: Locator, to: Locator) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('handle not on screen');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

async function openNode(page: Page, id: string) {
  await nodeOn(page, id).locator('.node-head').click();
  await expect(page.getByRole('complementary', { name: /^Node settings/ })).toBeVisible();
}

async function typeInCode(page: Page, label: string | RegExp, text: string) {
  const field = page.getByRole('textbox', { name: label, exact: typeof label === 'string' });
  await field.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.type(text);
}

async function saved(page: Page) {
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
}

test('build, configure, test and publish a workflow in the browser', async ({ page, browser, server, shot }) => {
  test.setTimeout(240_000);
  const edges = page.locator('.react-flow__edge');
  const nodes = page.locator('.react-flow__node');

  await test.step('1. sign in with a token from workflow-core token', async () => {
    const token = server.cli(['token', '--user-id', '1', '--username', 'editor', '--entities', '123']);
    await signIn(page, server, '1', token);
    await shot('01-signed-in');
  });

  await test.step('2. create a workflow', async () => {
    await page.getByLabel('New workflow name').fill('Greeter');
    await page.getByRole('button', { name: 'New workflow' }).click();
    await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
    await expect(page.locator('.react-flow__pane')).toBeVisible();
    await shot('02-created');
  });
  const workflowUrl = page.url();

  await test.step('3. drag trigger_manual, data_variable_set, condition_if and action_chat_message from the palette', async () => {
    const pane = page.locator('.react-flow__pane');
    const place = async (type: string, x: number, y: number) =>
      page.getByRole('button', { name: type, exact: true }).dragTo(pane, { targetPosition: { x, y } });
    // The node panel opens beside the canvas after the first drop, so everything lands left of x≈800.
    await place('trigger_manual', 110, 220);
    await place('data_variable_set', 320, 300);
    await place('condition_if', 530, 220);
    await place('action_chat_message', 740, 120);
    await place('action_chat_message', 740, 380);
    await expect(nodes).toHaveCount(5);
    await expect(page.getByRole('group', { name: 'Greeter' }).or(nodeOn(page, 'condition_if_1'))).toBeVisible();
    await shot('03-dragged');
  });

  await test.step('4. connect them port to port, the condition’s true port to the message', async () => {
    await dragBetween(
      page,
      handle(page, 'trigger_manual_1', 'source', 'output'),
      handle(page, 'data_variable_set_1', 'target', 'input'),
    );
    await dragBetween(
      page,
      handle(page, 'data_variable_set_1', 'source', 'output'),
      handle(page, 'condition_if_1', 'target', 'input'),
    );
    await dragBetween(
      page,
      handle(page, 'condition_if_1', 'source', 'true'),
      handle(page, 'action_chat_message_1', 'target', 'input'),
    );
    await dragBetween(
      page,
      handle(page, 'condition_if_1', 'source', 'false'),
      handle(page, 'action_chat_message_2', 'target', 'input'),
    );
    await expect(edges).toHaveCount(4);
    // A connection the types do not allow (a node into itself) is refused.
    await dragBetween(
      page,
      handle(page, 'condition_if_1', 'source', 'true'),
      handle(page, 'condition_if_1', 'target', 'input'),
    );
    await expect(edges).toHaveCount(4);
    await shot('04-connected');
  });

  await test.step('5. fill their forms', async () => {
    await openNode(page, 'data_variable_set_1');
    await page.getByRole('button', { name: /add/i }).first().click();
    const key = page.locator('input[id$="-key"]').first();
    await key.fill('greeting');
    await key.blur();
    await typeInCode(page, 'greeting', 'hello');
    await openNode(page, 'condition_if_1');
    await typeInCode(page, 'expression', 'greeting = "hello"');
    await openNode(page, 'action_chat_message_1');
    await page.getByLabel('Label').fill('Say hello');
    await typeInCode(page, 'message', '{{ nodes.');
    await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('nodes.data_variable_set_1.output');
    await page.keyboard.press('Escape');
    await typeInCode(page, 'message', '{{ greeting }}, world!');
    await openNode(page, 'action_chat_message_2');
    await typeInCode(page, 'message', 'Not today');
    await saved(page);
    await expect(page.locator('.badge-error')).toHaveCount(0);
    await shot('05-configured');
  });

  await test.step('6. reload the page and find everything intact', async () => {
    await page.reload();
    await expect(nodes).toHaveCount(5);
    await expect(edges).toHaveCount(4);
    await expect(nodeOn(page, 'action_chat_message_1')).toContainText('Say hello');
    await openNode(page, 'action_chat_message_1');
    await expect(page.getByRole('textbox', { name: 'message' })).toContainText('{{ greeting }}, world!');
    await openNode(page, 'condition_if_1');
    await expect(page.getByRole('textbox', { name: 'expression' })).toContainText('greeting = "hello"');
    await shot('06-reloaded');
  });

  await test.step('7. publish', async () => {
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page.getByRole('dialog', { name: 'Published version 1' })).toBeVisible();
    await shot('07-published');
    // A modal dialog: Tab stays on its one control, and closing it gives focus back to Publish.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Close' })).toBeFocused();
    await page.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByText(/differs from published|Not published yet/)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Publish' })).toBeFocused();
    // The shortcuts dialog closes on Escape, focus back on its button.
    const shortcuts = page.getByRole('button', { name: 'Keyboard shortcuts' });
    await shortcuts.click();
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
    await expect(shortcuts).toBeFocused();
  });

  await test.step('8. run Test: the path completed, the untaken branch skipped', async () => {
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByRole('button', { name: 'Run test' }).click();
    await expect(page.getByRole('region', { name: 'Test result' })).toContainText('Passed');
    for (const id of ['trigger_manual_1', 'data_variable_set_1', 'condition_if_1', 'action_chat_message_1'])
      await expect(nodeOn(page, id).getByTestId('trace-status')).toContainText('completed');
    await expect(nodeOn(page, 'action_chat_message_2').getByTestId('trace-status')).toHaveText('skipped');
    await openNode(page, 'action_chat_message_1');
    await expect(page.getByRole('region', { name: 'Last test run' })).toContainText('hello, world!');
    await page.getByRole('button', { name: /Pin this output/ }).click();
    await expect(nodeOn(page, 'action_chat_message_1')).toContainText('pinned');
    await shot('08-tested');
  });

  await test.step('9. undo and redo a deletion', async () => {
    await nodeOn(page, 'action_chat_message_2').locator('.node-head').click();
    await page.keyboard.press('Delete');
    await expect(nodes).toHaveCount(4);
    await expect(edges).toHaveCount(3);
    await page.keyboard.press('Control+Z');
    await expect(nodes).toHaveCount(5);
    await expect(edges).toHaveCount(4);
    await page.keyboard.press('Control+Shift+Z');
    await expect(nodes).toHaveCount(4);
    await page.keyboard.press('Control+Z');
    await expect(nodes).toHaveCount(5);
    await shot('09-undo-redo');
  });

  await test.step('10. copy and paste two nodes', async () => {
    await nodeOn(page, 'condition_if_1').locator('.node-head').click();
    await nodeOn(page, 'action_chat_message_1')
      .locator('.node-head')
      .click({ modifiers: ['Control'] });
    await page.locator('.react-flow__pane').focus();
    await page.keyboard.press('Control+C');
    await page.keyboard.press('Control+V');
    await expect(nodes).toHaveCount(7);
    await expect(nodeOn(page, 'condition_if_2')).toBeVisible();
    await expect(nodeOn(page, 'action_chat_message_3')).toBeVisible();
    await expect(edges).toHaveCount(5);
    await saved(page);
    await shot('10-pasted');
  });

  await test.step('11. an invalid config shows its error on the node and the field', async () => {
    await openNode(page, 'action_chat_message_3');
    await typeInCode(page, 'message', '');
    await expect(nodeOn(page, 'action_chat_message_3').locator('.badge-error')).toBeVisible();
    await expect(page.getByRole('alert', { name: 'Validation errors' })).toContainText('message');
    await expect(page.locator('.config-form .error-detail').first()).toContainText('required');
    await openNode(page, 'condition_if_2');
    await typeInCode(page, 'expression', 'greeting = ');
    await expect(page.locator('.code-jsonata .field-error')).toContainText('JSONata');
    await shot('11-invalid');
  });

  await test.step('12. a version conflict from a second tab is shown, not lost', async () => {
    await saved(page);
    const other = await browser.newContext();
    const tab = await other.newPage();
    const token = await server.token('1');
    await tab.goto(`${workflowUrl}#token=${token}`);
    await nodeOn(tab, 'trigger_manual_1').locator('.node-head').click();
    await tab.getByLabel('Label').fill('Start (from tab 2)');
    await expect(tab.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
    await other.close();

    await openNode(page, 'trigger_manual_1');
    await page.getByLabel('Label').fill('Start (from tab 1)');
    const dialog = page.getByRole('alertdialog', { name: 'Changed elsewhere' });
    await expect(dialog).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Not saved' })).toBeVisible();
    await shot('12-conflict');
    // A decision, not a notice: Escape leaves it open.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Reload their version' }).click();
    await expect(nodeOn(page, 'trigger_manual_1')).toContainText('Start (from tab 2)');
  });

  await test.step('13. axe finds no serious or critical violation', async () => {
    await openNode(page, 'action_chat_message_1');
    await noSeriousViolations(page);
    await shot('13-accessible');
  });
});
