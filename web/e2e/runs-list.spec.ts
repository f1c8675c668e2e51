/**
 * The runs list on a workflow's Overview as a user works it: the trigger filter shows only
 * webhook runs on every page, with the filtered total, and a new webhook run appears live; the
 * pager's second page; sorting by duration both ways; "Include tests" shows the test run with its
 * badge only when ticked. Runs are made cheaply through the API (signed webhook calls, execute).
 */
import type { Page } from '@playwright/test';
import { signWebhook } from '../../src/webhooks/signature.ts';
import { expect, noSeriousViolations, type Server, signIn, test } from './fixtures.ts';
import { call, definition, execute, publish, waitForEnd } from './runs-api.ts';

const rows = (page: Page) => page.locator('table.executions tbody tr[data-execution]');
const ids = async (page: Page) =>
  (await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-execution')))) as string[];
const column = (page: Page, n: number) => rows(page).locator(`td:nth-child(${n})`);

/** Creates a webhook on `workflowId` and answers a function that fires it once (signed) and answers the run. */
async function webhookOf(server: Server, token: string, workflowId: string): Promise<() => Promise<string>> {
  const created = await call<{ token: string; secret: string }>(
    server,
    token,
    'POST',
    `/api/v1/workflows/${workflowId}/webhooks`,
    { name: 'CI' },
  );
  expect(created.status).toBe(201);
  const hook = created.data;
  return async () => {
    const body = JSON.stringify({ user: 'ci' });
    const response = await fetch(`${server.url}/api/v1/workflows/webhooks/${hook.token}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-webhook-signature': signWebhook(hook.secret, hook.token, Buffer.from(body)),
      },
      body,
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: { execution_id: string } }).data.execution_id;
  };
}

const hello = () =>
  definition(
    'Hello',
    {
      start: ['trigger_manual'],
      hook: ['trigger_webhook'],
      say: ['action_chat_message', { message: 'Hello {{ user }}' }],
    },
    ['start -> say', 'hook -> say'],
  );

test('the trigger filter shows only webhook runs on every page, with their total; new ones live', async ({
  page,
  server,
  shot,
}) => {
  const token = await server.token('1');
  const id = await publish(server, token, hello());
  const fire = await webhookOf(server, token, id);
  const webhookRuns: string[] = [];
  for (let i = 0; i < 23; i++) webhookRuns.push(await fire());
  const apiRuns: string[] = [];
  for (let i = 0; i < 4; i++) apiRuns.push(await execute(server, token, id, { user: 'ann' }));
  for (const run of [...webhookRuns, ...apiRuns]) await waitForEnd(server, token, run);

  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations`);
  const pager = page.locator('.pager');
  await expect(pager).toContainText('page 1 of 2 (27 runs)');

  await page.getByLabel('Trigger').selectOption('webhook');
  await expect(pager).toContainText('page 1 of 2 (23 runs)');
  await expect(rows(page)).toHaveCount(20);
  expect(new Set(await column(page, 2).allTextContents())).toEqual(new Set(['webhook']));
  const firstPage = await ids(page);

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('page 2 of 2 (23 runs)');
  await expect(rows(page)).toHaveCount(3);
  expect(new Set(await column(page, 2).allTextContents())).toEqual(new Set(['webhook']));
  const secondPage = await ids(page);
  // Newest first: the two pages together are every webhook run, each once, in the API's order
  // (runs queued in the same millisecond have no order of their own, so that is the reference).
  const listed = await call<{ execution_id: string }[]>(
    server,
    token,
    'GET',
    `/api/v1/workflows/${id}/executions?community_id=456&trigger_source=webhook&per_page=100`,
  );
  expect([...firstPage, ...secondPage]).toEqual(listed.data.map((run) => run.execution_id));
  expect(new Set([...firstPage, ...secondPage])).toEqual(new Set(webhookRuns));
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await shot('runs-list-webhook-page-2');
  await noSeriousViolations(page);

  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(pager).toContainText('page 1 of 2 (23 runs)');
  // Page 1 is read again every few seconds: a new webhook run shows up on top, an API run does not.
  const live = await fire();
  await execute(server, token, id, { user: 'bob' });
  await expect(rows(page).first()).toHaveAttribute('data-execution', live);
  await expect(pager).toContainText('page 1 of 2 (24 runs)');

  await page.getByLabel('Trigger').selectOption('api');
  await expect(rows(page)).toHaveCount(5);
  expect(new Set(await column(page, 2).allTextContents())).toEqual(new Set(['api']));
  await expect(pager).toHaveCount(0);

  await page.getByLabel('Trigger').selectOption('schedule');
  await expect(page.locator('table.executions tbody')).toContainText('No executions match these filters.');
  await expect(rows(page)).toHaveCount(0);
});

test('sorting by duration orders the runs shortest or longest first', async ({ page, server, shot }) => {
  const token = await server.token('1');
  const id = await publish(
    server,
    token,
    definition('Waits', { start: ['trigger_manual'], wait: ['action_delay', { delay_variable: 'ms' }] }, [
      'start -> wait',
    ]),
  );
  const byDelay: Record<number, string> = {};
  for (const ms of [400, 20, 900, 200]) {
    byDelay[ms] = await execute(server, token, id, { ms });
    await waitForEnd(server, token, byDelay[ms]);
  }
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations`);
  await expect(rows(page)).toHaveCount(4);
  // Newest first by default.
  expect(await ids(page)).toEqual([byDelay[200], byDelay[900], byDelay[20], byDelay[400]]);

  await page.getByLabel('Sort by').selectOption('execution_time');
  await page.getByLabel('Order').selectOption('asc');
  const shortestFirst = [byDelay[20], byDelay[200], byDelay[400], byDelay[900]];
  await expect.poll(() => ids(page)).toEqual(shortestFirst);
  await expect(column(page, 4).first()).toHaveText(/^\d+ ms$/);
  await shot('runs-list-by-duration');

  await page.getByLabel('Order').selectOption('desc');
  await expect.poll(() => ids(page)).toEqual([...shortestFirst].reverse());
});

test('"Include tests" shows the test run, with its badge, only when ticked', async ({ page, server, shot }) => {
  const token = await server.token('1');
  const id = await publish(server, token, hello());
  const real = await execute(server, token, id, { user: 'ann' });
  await waitForEnd(server, token, real);
  const tested = await call<{ execution_id: string }>(server, token, 'POST', `/api/v1/workflows/${id}/test`, {
    variables: { user: 'tess' },
  });
  expect(tested.status).toBe(200);
  const testRun = page.locator(`tr[data-execution="${tested.data.execution_id}"]`);

  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations`);
  await expect(page.locator(`tr[data-execution="${real}"]`)).toBeVisible();
  await expect(rows(page)).toHaveCount(1);
  await expect(testRun).toHaveCount(0);

  await page.getByLabel('Include tests').check();
  await expect(testRun).toBeVisible();
  await expect(testRun.locator('.badge-test')).toHaveText('test');
  await expect(rows(page)).toHaveCount(2);
  await expect(page.locator(`tr[data-execution="${real}"] .badge-test`)).toHaveCount(0);
  await shot('runs-list-with-tests');
  await noSeriousViolations(page);

  await page.getByLabel('Include tests').uncheck();
  await expect(testRun).toHaveCount(0);
  await expect(rows(page)).toHaveCount(1);
});

test("a failed refresh shows the API's code and message above the list", async ({ page, server, shot }) => {
  const token = await server.token('1');
  const id = await publish(server, token, hello());
  await waitForEnd(server, token, await execute(server, token, id, { user: 'ann' }));
  const grant = { permission_type: 'user', target_id: '2', can_view: true };
  const flags = { can_edit: false, can_delete: false, can_execute: false, can_manage_permissions: false };
  expect((await call(server, token, 'PUT', `/api/v1/workflows/${id}/permissions`, { ...grant, ...flags })).status).toBe(
    200,
  );
  const viewerToken = await server.token('2');
  await signIn(page, server, '2', viewerToken);
  await page.goto(`${server.url}/workflows/${id}/operations`);
  await expect(rows(page)).toHaveCount(1);

  // The grant goes while the page is open: the next refresh of page 1 is refused.
  expect((await call(server, token, 'DELETE', `/api/v1/workflows/${id}/permissions/user/2`)).status).toBe(200);
  const refused = await call(server, viewerToken, 'GET', `/api/v1/workflows/${id}/executions?community_id=456`);
  expect(refused.status).toBeGreaterThanOrEqual(400);
  const alert = page.getByRole('alert').filter({ hasText: 'Executions could not be loaded' });
  await expect(alert).toHaveText(`Executions could not be loaded: ${refused.error?.code} ${refused.error?.message}`);
  await shot('runs-list-refused');
});
