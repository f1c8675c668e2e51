/**
 * The workflow operations page: the 24 h overview with the runs list, webhooks (secret once, a
 * curl that works from a shell, the run in the list), schedules across a DST change with a fixed
 * browser clock, a grant that lets a second user in, the version diff, "Debug in editor", and
 * rerun and delete from the runs list (the app's dialog asks first, Escape keeps the run; refused,
 * with the API's code, for a viewer).
 */
import { execFileSync } from 'node:child_process';
import { expect, noSeriousViolations, SCREENSHOTS, signIn, test } from './fixtures.ts';
import { call, definition, execute, publish, waitForEnd } from './runs-api.ts';

const greeter = () =>
  definition(
    'Greeter',
    {
      start: ['trigger_manual'],
      hook: ['trigger_webhook'],
      check: ['condition_if', { rules: [{ variable: 'n', operator: 'greater_than', value: 2 }] }],
      say: ['action_chat_message', { message: 'Hello {{ user }}' }],
      stop: ['flow_end', { status: 'failed', error_message: 'n too small' }],
    },
    ['start -> check', 'hook -> say', 'check:true -> say', 'check:false -> stop'],
  );

test('the overview charts the last 24 hours and lists the runs, new ones live', async ({ page, server, shot }) => {
  const token = await server.token('1');
  const id = await publish(server, token, greeter());
  for (const n of [5, 7, 9, 1, 8])
    await waitForEnd(server, token, await execute(server, token, id, { n, user: 'ann' }));
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations`);
  await expect(page.getByRole('img', { name: /Runs per hour, 5 in total/ })).toBeVisible();
  await expect(page.locator('table.executions tbody tr')).toHaveCount(5);
  await expect(page.locator('table.executions')).toContainText('n too small');
  const newRun = await execute(server, token, id, { n: 3, user: 'bob' });
  await expect(page.locator(`tr[data-execution="${newRun}"]`)).toBeVisible();
  await page.getByLabel('Status').selectOption('failed');
  await expect(page.locator('table.executions tbody tr')).toHaveCount(1);
  await page.getByLabel('Status').selectOption('');
  await shot('overview');
  await noSeriousViolations(page);
});

test('a run is rerun and deleted from the list; a viewer is told why not', async ({ page, browser, server, shot }) => {
  const token = await server.token('1');
  const id = await publish(server, token, greeter());
  const first = await execute(server, token, id, { n: 5, user: 'ann' });
  await waitForEnd(server, token, first);
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations`);
  const rows = page.locator('table.executions tbody tr');
  await expect(rows).toHaveCount(1);

  await page.getByRole('button', { name: `Rerun run ${first.slice(0, 8)}` }).click();
  const done = page.getByRole('status').filter({ hasText: 'rerun as' });
  await expect(done).toContainText(`Run ${first.slice(0, 8)} rerun as run `);
  const rerunId = ((await done.getByRole('link').getAttribute('href')) ?? '').split('/').pop() as string;
  expect(rerunId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.locator(`tr[data-execution="${rerunId}"]`)).toBeVisible();
  await expect(rows).toHaveCount(2);
  const stored = await call<{ rerun_of: string }>(server, token, 'GET', `/api/v1/workflows/executions/${rerunId}`);
  expect(stored.data.rerun_of).toBe(first);
  await expect(page.locator(`tr[data-execution="${rerunId}"]`)).toContainText('completed');

  // A viewer sees the runs but may neither rerun nor delete them: the API's refusal, rows kept.
  const grant = { permission_type: 'user', target_id: '2', can_view: true };
  const granted = await call(server, token, 'PUT', `/api/v1/workflows/${id}/permissions`, {
    ...grant,
    can_edit: false,
    can_delete: false,
    can_execute: false,
    can_manage_permissions: false,
  });
  expect(granted.status).toBe(200);
  const other = await browser.newContext();
  const viewer = await other.newPage();
  await signIn(viewer, server, '2');
  await viewer.goto(`${server.url}/workflows/${id}/operations`);
  await expect(viewer.locator('table.executions tbody tr')).toHaveCount(2);
  await viewer.getByRole('button', { name: `Delete run ${first.slice(0, 8)}` }).click();
  await viewer
    .getByRole('alertdialog', { name: 'Delete this run?' })
    .getByRole('button', { name: 'Delete run' })
    .click();
  const refused = viewer.getByRole('alert').filter({ hasText: 'was not deleted' });
  await expect(refused).toContainText(
    `Run ${first.slice(0, 8)} was not deleted: PERMISSION_DENIED Permission can_edit is required on this workflow`,
  );
  await expect(viewer.locator(`tr[data-execution="${first}"]`)).toBeVisible();
  await viewer.getByRole('button', { name: `Rerun run ${first.slice(0, 8)}` }).click();
  await expect(viewer.getByRole('alert').filter({ hasText: 'was not rerun' })).toContainText(
    'PERMISSION_DENIED Permission can_execute is required on this workflow',
  );
  await expect(viewer.locator('table.executions tbody tr')).toHaveCount(2);
  await noSeriousViolations(viewer);
  await viewer.screenshot({ path: `${SCREENSHOTS}/operations-run-refused.png` });
  await other.close();

  // The owner deletes the rerun: the app's dialog names it; Escape keeps it (focus back on its
  // Delete), "Delete run" removes the row and the record.
  const deleteRerun = page.getByRole('button', { name: `Delete run ${rerunId.slice(0, 8)}` });
  const question = page.getByRole('alertdialog', { name: 'Delete this run?' });
  await deleteRerun.click();
  await expect(question).toContainText(
    `Delete run ${rerunId.slice(0, 8)} (completed) and its record (node data, outbox, logs)? This cannot be undone.`,
  );
  await expect(question.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await noSeriousViolations(page);
  await shot('operations-delete-run-dialog');
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(deleteRerun).toBeFocused();
  await expect(rows).toHaveCount(2);
  expect((await call(server, token, 'GET', `/api/v1/workflows/executions/${rerunId}`)).status).toBe(200);
  await deleteRerun.click();
  await question.getByRole('button', { name: 'Delete run' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'deleted' })).toHaveText(
    `Run ${rerunId.slice(0, 8)} deleted.`,
  );
  await expect(page.locator(`tr[data-execution="${rerunId}"]`)).toHaveCount(0);
  await expect(rows).toHaveCount(1);
  expect((await call(server, token, 'GET', `/api/v1/workflows/executions/${rerunId}`)).status).toBe(404);
  await noSeriousViolations(page);
  await shot('operations-run-actions');
});

test('a webhook shows its secret once; its curl answers 200 and the run shows in the list', async ({
  page,
  server,
}) => {
  const token = await server.token('1');
  const id = await publish(server, token, greeter());
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations?tab=webhooks`);
  await page.getByLabel('New webhook name').fill('GitHub');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  // Wait for the text itself: the secret and the signed curl may render a moment after the elements.
  await expect(page.getByTestId('webhook-secret')).toHaveText(/\S{21,}/);
  const secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
  await expect(page.getByTestId('webhook-curl')).toContainText('X-Webhook-Signature: sha256=');
  const curl = (await page.getByTestId('webhook-curl').textContent()) ?? '';
  await noSeriousViolations(page);
  const answer = execFileSync('sh', ['-c', `${curl} -w '\\n%{http_code}'`], { encoding: 'utf8' });
  const [body, status] = [answer.slice(0, answer.lastIndexOf('\n')), answer.slice(answer.lastIndexOf('\n') + 1)];
  expect(status).toBe('200');
  const executionId = (JSON.parse(body) as { data: { execution_id: string } }).data.execution_id;
  await page.getByRole('button', { name: 'Send test' }).click();
  const testRunLink = page.getByTestId('webhook-test-run');
  await expect(testRunLink).toBeVisible();
  const sentRun = ((await testRunLink.getAttribute('href')) ?? '').split('/').pop();
  await page.getByRole('button', { name: 'Done, hide the secret' }).click();
  await expect(page.getByTestId('webhook-secret')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('cell', { name: 'GitHub', exact: true })).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
  await page.getByRole('link', { name: 'Overview' }).click();
  await expect(page.locator(`tr[data-execution="${executionId}"]`)).toContainText('webhook');
  await page.locator(`tr[data-execution="${sentRun}"] a`).click();
  await expect(page).toHaveURL(new RegExp(`/executions/${sentRun}$`));
  await expect(page.locator('.summary')).toContainText('webhook');
});

test('schedules list the next Berlin fire times across the DST change, in both zones', async ({ browser, server }) => {
  const context = await browser.newContext({ timezoneId: 'America/New_York' });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date('2026-03-27T12:00:00Z'));
  const token = await server.token('1');
  const id = await publish(
    server,
    token,
    definition(
      'Weekly',
      {
        tick: ['trigger_schedule', { cron: '0 18 * * *', timezone: 'Europe/Berlin', max_executions: 10 }],
        say: ['action_chat_message', { message: 'Stream starts!' }],
      },
      ['tick -> say'],
    ),
  );
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations?tab=schedules`);
  const rows = page.locator('table.fire-times tbody tr');
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(0)).toHaveText('Fri, 27 Mar 2026, 18:00 CETFri, 27 Mar 2026, 13:00 GMT-4');
  await expect(rows.nth(1)).toHaveText('Sat, 28 Mar 2026, 18:00 CETSat, 28 Mar 2026, 13:00 GMT-4');
  await expect(rows.nth(2)).toHaveText('Sun, 29 Mar 2026, 18:00 CESTSun, 29 Mar 2026, 12:00 GMT-4');
  await expect(rows.nth(4)).toHaveText('Tue, 31 Mar 2026, 18:00 CESTTue, 31 Mar 2026, 12:00 GMT-4');
  await expect(page.getByText('of at most 10')).toBeVisible();
  await noSeriousViolations(page);
  await context.close();
});

test('a grant added in the access panel lets a second user see the workflow', async ({ page, browser, server }) => {
  const token = await server.token('1');
  const id = await publish(server, token, greeter());
  const other = await browser.newContext();
  const second = await other.newPage();
  await signIn(second, server, '2');
  await second.goto(`${server.url}/workflows/${id}/operations`);
  await expect(second.getByRole('alert')).toContainText('WORKFLOW_NOT_FOUND');

  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations?tab=access`);
  await page.getByLabel('Target id').fill('2');
  await page.getByRole('button', { name: 'Add grant' }).click();
  await expect(page.getByRole('cell', { name: '2', exact: true })).toBeVisible();
  await expect(page.locator('table.audit')).toContainText('1');
  await noSeriousViolations(page);

  await second.reload();
  await expect(second.getByRole('heading', { name: 'Greeter' })).toBeVisible();
  await other.close();
});

test('the version diff lists a changed config field', async ({ page, server }) => {
  const token = await server.token('1');
  const id = await publish(server, token, greeter());
  const current = await call<{ nodes: Record<string, { config: Record<string, unknown> }> }>(
    server,
    token,
    'GET',
    `/api/v1/workflows/${id}`,
  );
  const nodes = structuredClone(current.data.nodes);
  nodes.say.config.message = 'Welcome {{ user }}';
  expect((await call(server, token, 'PUT', `/api/v1/workflows/${id}`, { nodes })).status).toBe(200);
  expect((await call(server, token, 'POST', `/api/v1/workflows/${id}/publish`, {})).status).toBe(200);
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations?tab=versions`);
  await page.getByLabel('From').selectOption('1');
  await page.getByLabel('To').selectOption('2');
  const row = page.locator('table.diff-fields tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('config.message');
  await expect(row).toContainText('"Hello {{ user }}"');
  await expect(row).toContainText('"Welcome {{ user }}"');
  await noSeriousViolations(page);
});

test('"Debug in editor" pins the run outputs, badged in the editor, and a test run uses them', async ({
  page,
  server,
  shot,
}) => {
  const token = await server.token('1');
  const id = await publish(server, token, greeter());
  const executionId = await execute(server, token, id, { n: 5, user: 'ann' });
  const run = (await waitForEnd(server, token, executionId)) as {
    node_states: Record<string, { output_data: unknown }>;
  };
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/executions/${executionId}`);
  await page.getByRole('button', { name: 'Debug in editor' }).click();
  await expect(page).toHaveURL(`${server.url}/workflows/${id}?debug=${executionId}`);
  const pins = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}'), `workflow-core.pins.${id}`);
  // The nodes that ran, minus the trigger; with the outputs they had in that run.
  expect(pins).toEqual({ check: run.node_states.check.output_data, say: run.node_states.say.output_data });
  const card = (node: string) => page.locator(`.react-flow__node[data-id="${node}"]`);
  for (const node of ['check', 'say']) await expect(card(node).locator('.badge-pin')).toHaveText('⊙ pinned');
  for (const node of ['start', 'hook', 'stop']) await expect(card(node).locator('.badge-pin')).toHaveCount(0);
  await noSeriousViolations(page);
  await shot('debug-in-editor-pins');

  // The editor sends them as mock_outputs with its test run, and the run's nodes answer with them.
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.getByRole('complementary', { name: 'Test run' })).toContainText('Pinned outputs (2)');
  const answer = page.waitForResponse(
    (response) => response.request().method() === 'POST' && response.url().endsWith(`/api/v1/workflows/${id}/test`),
  );
  await page.getByRole('button', { name: 'Run test' }).click();
  const response = await answer;
  expect(response.request().postDataJSON().mock_outputs).toEqual(pins);
  const tested = (await response.json()).data as {
    execution_id: string;
    trace: Array<{ node_id: string; status: string; output: unknown; logs: string[] }>;
  };
  const traced = (node: string) => tested.trace.find((entry) => entry.node_id === node);
  for (const node of ['check', 'say']) {
    expect(traced(node)?.status).toBe('completed');
    expect(traced(node)?.output).toEqual(pins[node]);
    expect(traced(node)?.logs.join('\n')).toContain('output pinned by mock_outputs');
  }
  await expect(page.getByRole('region', { name: 'Test result' })).toContainText('Passed');
  await noSeriousViolations(page);
  await page.goto(`${server.url}/executions/${tested.execution_id}`);
  await expect(page.getByText('test run')).toBeVisible();
  await page.getByTestId('run-node-check').click();
  await expect(page.getByRole('region', { name: 'Node check' })).toContainText('output pinned by mock_outputs');
});
