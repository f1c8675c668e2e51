/**
 * Reuse in the browser (issue 15): a credential created on the Credentials page makes the
 * !uptime template ready to publish; a called workflow and the error workflow are picked by name;
 * an export pasted onto another workflow's canvas brings its nodes as one undoable change; the
 * Import dialog keeps the keyboard inside (Escape gives focus back to its button), makes a draft
 * and says what it lacks; a run's canvas names the workflow its call ran; a run is rerun and
 * deleted (after the app's dialog asks); a call card names the workflow it calls, or says it is
 * archived or gone. The new pages pass axe. Screenshots of each page land in test-results/screenshots.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, noSeriousViolations, signIn, test } from './fixtures.ts';
import { call, definition, execute, publish, waitForEnd } from './runs-api.ts';

const SECRET = 'uptime-secret-value-42';

/** The focused element, by id or else its text, and only if it is inside the open dialog. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const focused = document.activeElement as HTMLElement | null;
    if (!focused?.closest('dialog[open]')) return `outside the dialog: ${focused?.tagName}`;
    return focused.id || focused.textContent || focused.tagName;
  });

const nodeOn = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const uptimeCard = (page: Page) => page.getByRole('listitem').filter({ hasText: '!uptime' });

test('a credential makes the !uptime template ready to publish', async ({ page, server, shot }) => {
  test.setTimeout(120_000);
  await signIn(page, server, '1');

  await test.step('the gallery says the template needs a credential the entity lacks', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await expect(page.getByRole('heading', { name: 'Create from a template' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Templates' }).getByRole('listitem')).toHaveCount(8);
    await expect(uptimeCard(page)).toContainText('uptime_api (missing: create it)');
  });

  await test.step('create the credential; its value is never shown back', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credentials' }).click();
    await expect(page.getByRole('heading', { name: 'Credentials' })).toBeVisible();
    await expect(page.getByText('No credentials in this entity yet.')).toBeVisible();
    await page.getByRole('button', { name: 'New credential' }).click();
    await page.getByRole('button', { name: 'Create credential' }).click();
    await expect(page.getByRole('alert', { name: 'What to fix' })).toContainText('Field token needs a value.');
    await page.getByLabel('Name', { exact: true }).fill('uptime_api');
    await page.getByLabel('Field 1 value').fill(SECRET);
    await page.getByLabel('Description').fill('The uptime API');
    await shot('reuse-credential-form');
    await page.getByRole('button', { name: 'Create credential' }).click();
    await expect(page.getByRole('status')).toContainText('Created uptime_api');
    const row = page.getByRole('row').filter({ hasText: 'uptime_api' });
    await expect(row).toContainText('api_key');
    await expect(row.locator('.field-chip')).toHaveText(['token']);
    await page.getByRole('button', { name: 'Edit uptime_api' }).click();
    await expect(page.getByLabel('Field 1 value')).toHaveValue('');
    await expect(page.getByLabel('Field 1 value')).toHaveAttribute('placeholder', 'stored (unchanged)');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Field 2 name').fill('user');
    await page.getByLabel('Field 2 value').fill('bot');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByRole('status')).toContainText('Saved uptime_api');
    await expect(row.locator('.field-chip')).toHaveText(['token', 'user']);
    expect(await page.content()).not.toContain(SECRET);
    // A second one with the same name is refused with the server's message, nothing lost.
    await page.getByRole('button', { name: 'New credential' }).click();
    await page.getByLabel('Name', { exact: true }).fill('uptime_api');
    await page.getByLabel('Field 1 value').fill('other');
    await page.getByRole('button', { name: 'Create credential' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Not saved' })).toBeVisible();
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue('uptime_api');
    await noSeriousViolations(page);
    await shot('reuse-credentials-page');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  await test.step('the gallery now finds it; create from the template', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await expect(uptimeCard(page)).toContainText('uptime_api (in this entity)');
    await noSeriousViolations(page);
    await shot('reuse-templates-gallery');
    await page.getByRole('button', { name: 'Use template !uptime' }).click();
    await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('status', { name: 'Imported' })).toContainText(
      'The credentials it uses (uptime_api) exist in this entity: none missing.',
    );
    await expect(page.locator('.react-flow__node')).toHaveCount(5);
    await expect(nodeOn(page, 'fetch')).toBeVisible();
    await shot('reuse-template-created');
  });

  await test.step('it validates: publish accepts it', async () => {
    await expect(page.locator('.badge-error')).toHaveCount(0);
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page.getByRole('dialog')).toContainText('version 1');
    await shot('reuse-template-published');
  });
});

test('sub-workflows by name, export, paste onto the canvas, import, rerun and delete', async ({
  page,
  context,
  server,
  shot,
}) => {
  test.setTimeout(180_000);
  const token = await server.token('1');
  const childId = await publish(
    server,
    token,
    definition('Child', { start: ['trigger_manual'], end: ['flow_end', { final_output: { ok: true } }] }, [
      'start -> end',
    ]),
  );
  const callerId = await publish(
    server,
    token,
    definition(
      'Caller',
      {
        start: ['trigger_manual'],
        call: ['action_workflow', { workflow_id: childId, input: { who: '{{ user }}' } }],
        end: ['flow_end'],
      },
      ['start -> call', 'call -> end'],
    ),
  );
  await signIn(page, server, '1', token);

  await test.step('the called workflow and the error workflow are picked by name', async () => {
    await page.goto(`${server.url}/workflows/${callerId}`);
    await expect(nodeOn(page, 'call').locator('.node-calls')).toHaveText('calls: Child');
    await nodeOn(page, 'call').locator('.node-head').click();
    const picker = page.getByRole('combobox', { name: 'workflow_id' });
    await expect(picker).toHaveValue(childId);
    await expect(picker.locator('option:checked')).toHaveText('Child');
    await expect(picker.locator('option')).not.toContainText(['Caller']);
    await shot('reuse-workflow-picker');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Error workflow').selectOption({ label: 'Child' });
    await expect(page.getByRole('complementary', { name: 'Workflow settings' })).toContainText('Saved.');
    const stored = await call<{ settings: { error_workflow_id?: string } }>(
      server,
      token,
      'GET',
      `/api/v1/workflows/${callerId}`,
    );
    expect(stored.data.settings.error_workflow_id).toBe(childId);
    await noSeriousViolations(page);
    await shot('reuse-settings');
    // The settings save took the new version: the next autosave is no version conflict.
    await nodeOn(page, 'call').locator('.node-head').click();
    await page.getByLabel('Label').fill('call the child');
    await expect
      .poll(async () => {
        const read = await call<{ nodes: Record<string, { label?: string }> }>(
          server,
          token,
          'GET',
          `/api/v1/workflows/${callerId}`,
        );
        return read.data.nodes.call.label;
      })
      .toBe('call the child');
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
  });

  let exported = '';
  await test.step('export downloads the workflow-core/1 document', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('caller.workflow.json');
    exported = readFileSync(await file.path(), 'utf8');
    const document = JSON.parse(exported);
    expect(document.format).toBe('workflow-core/1');
    expect(document.workflows).toEqual([{ ref: 'workflow-1', name: 'Child' }]);
    expect(document.nodes.call.config.workflow_id).toBe('workflow-1');
  });

  await test.step('pasting the export onto another canvas adds its nodes, as one undo step', async () => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('New workflow name').fill('Paste target');
    await page.getByRole('button', { name: 'New workflow' }).click();
    await expect(page.locator('.react-flow__pane')).toBeVisible();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.evaluate((text) => navigator.clipboard.writeText(text), exported);
    await page.locator('.react-flow__pane').click();
    await page.keyboard.press('Control+V');
    const nodes = page.locator('.react-flow__node');
    await expect(nodes).toHaveCount(3);
    await expect(page.locator('.react-flow__edge')).toHaveCount(2);
    await expect(page.getByRole('status', { name: 'Pasted' })).toContainText(
      'Pasted 3 nodes from "Caller". Pick the workflows it called (Child) in the nodes that call them.',
    );
    await expect(nodeOn(page, 'action_workflow_1')).toBeVisible();
    await shot('reuse-pasted-export');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(nodes).toHaveCount(0);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect(nodes).toHaveCount(3);
    const calls = nodeOn(page, 'action_workflow_1').locator('.node-calls');
    await expect(calls).toHaveText('calls: no workflow chosen');
    await nodeOn(page, 'action_workflow_1').locator('.node-head').click();
    await page.getByRole('combobox', { name: 'workflow_id' }).selectOption({ label: 'Child' });
    await expect(calls).toHaveText('calls: Child');
    await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
    const target = page.url().split('/').pop() as string;
    const stored = await call<{ nodes: Record<string, { config: Record<string, unknown> }> }>(
      server,
      token,
      'GET',
      `/api/v1/workflows/${target}`,
    );
    expect(stored.data.nodes.action_workflow_1.config.workflow_id).toBe(childId);
  });

  await test.step('the Import dialog keeps the keyboard inside; Escape gives focus back', async () => {
    await page.goto(`${server.url}/`);
    const opener = page.getByRole('button', { name: 'Import…' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: /Import a workflow/ });
    await expect(dialog.getByLabel('Exported JSON')).toBeFocused();
    // Tab from the JSON field: name, Cancel (Import waits for text), then round to the file and back.
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      seen.push(await focusedName(page));
    }
    expect(seen).toEqual(['import-name', 'Cancel', 'import-file', 'import-text']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focusedName(page)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(opener).toBeFocused();
  });

  await test.step('import makes a draft and names what the entity lacks', async () => {
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: /Import a workflow/ });
    await dialog.getByLabel('Exported JSON').fill('{"nodes": {}}');
    await dialog.getByRole('button', { name: 'Import as a draft' }).click();
    await expect(dialog.getByRole('alert')).toContainText('This is not an exported workflow');
    const elsewhere = JSON.parse(exported);
    elsewhere.workflows = [{ ref: 'workflow-1', name: 'Lives elsewhere' }];
    await dialog.getByLabel('Exported JSON').fill(JSON.stringify(elsewhere));
    await dialog.getByLabel('Name (optional)').fill('Imported caller');
    await noSeriousViolations(page);
    await shot('reuse-import-dialog');
    await dialog.getByRole('button', { name: 'Import as a draft' }).click();
    await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('status', { name: 'Imported' })).toContainText(
      'It calls workflows this entity lacks (Lives elsewhere)',
    );
    await expect(page.getByLabel('Workflow name')).toHaveValue('Imported caller');
    await shot('reuse-imported');
  });

  await test.step('a run names the workflow its call ran and links to its run; rerun links back; delete asks first', async () => {
    const executionId = await execute(server, token, callerId, { user: 'alice' });
    const ended = await waitForEnd(server, token, executionId);
    expect(ended.status).toBe('completed');
    await page.goto(`${server.url}/executions/${executionId}`);
    await expect(nodeOn(page, 'call').locator('.node-calls')).toHaveText('calls: Child');
    await expect(nodeOn(page, 'call')).toHaveAttribute('aria-label', 'call: completed');
    await shot('reuse-run-call-card');
    const childRun = page.locator('dd').filter({ hasText: '(from call)' }).getByRole('link');
    await expect(childRun).toBeVisible();
    await childRun.click();
    await expect(page.locator('dd').filter({ hasText: '(node call)' })).toContainText(executionId.slice(0, 8));
    await page.goto(`${server.url}/executions/${executionId}`);
    await page.getByRole('button', { name: 'Rerun' }).click();
    await expect(page).not.toHaveURL(new RegExp(executionId));
    await expect(
      page
        .locator('dd')
        .filter({ hasText: executionId.slice(0, 8) })
        .first(),
    ).toBeVisible();
    await expect(page.getByText('Rerun of')).toBeVisible();
    await expect(page.locator('.summary .run-status')).toHaveText('completed');
    await noSeriousViolations(page);
    await shot('reuse-rerun');
    const rerunId = page.url().split('/').pop() as string;
    // The app's own dialog asks, Cancel first: cancelled, focus is back on the page's Delete run.
    const deleteRun = page.locator('.page-title').getByRole('button', { name: 'Delete run' });
    const question = page.getByRole('alertdialog', { name: 'Delete this run?' });
    await deleteRun.click();
    await expect(question).toContainText(`Delete run ${rerunId.slice(0, 8)} (completed) and its record`);
    await expect(question.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await noSeriousViolations(page);
    await shot('reuse-delete-run-dialog');
    await question.getByRole('button', { name: 'Cancel' }).click();
    await expect(question).toHaveCount(0);
    await expect(deleteRun).toBeFocused();
    await expect(page).toHaveURL(new RegExp(rerunId));
    await deleteRun.click();
    await question.getByRole('button', { name: 'Delete run' }).click();
    await expect(page).toHaveURL(new RegExp(`/workflows/${callerId}/operations$`));
    const gone = await call(server, token, 'GET', `/api/v1/workflows/executions/${rerunId}`);
    expect(gone.status).toBe(404);
  });
});

test('a call card names a workflow that is archived or gone as such', async ({ page, server, shot }) => {
  const token = await server.token('1');
  const retired = await publish(
    server,
    token,
    definition('Retired', { start: ['trigger_manual'], end: ['flow_end'] }, ['start -> end']),
  );
  expect((await call(server, token, 'DELETE', `/api/v1/workflows/${retired}`)).status).toBe(200);
  const gone = '0f0e0d0c-0b0a-4908-8706-050403020100';
  const { _ids, ...caller } = definition(
    'Calls the past',
    {
      start: ['trigger_manual'],
      old: ['action_workflow', { workflow_id: retired }],
      lost: ['action_workflow', { workflow_id: gone }],
    },
    ['start -> old', 'old -> lost'],
  );
  const created = await call<{ workflow_id: string }>(server, token, 'POST', '/api/v1/workflows', caller);
  expect(created.status).toBe(201);
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${created.data.workflow_id}`);
  await expect(nodeOn(page, 'old').locator('.node-calls')).toHaveText('calls: Retired (archived)');
  await expect(nodeOn(page, 'lost').locator('.node-calls')).toHaveText('calls: unknown workflow 0f0e0d0c');
  await expect(nodeOn(page, 'lost').locator('.node-calls-warn')).toBeVisible();
  await noSeriousViolations(page);
  await shot('reuse-call-cards');
});
