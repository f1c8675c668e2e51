/**
 * The run page: a 2 s delay observed live (running → completed without a reload), a failing run
 * with its error on the right node, cancel, and "Debug in editor" pinning the run's outputs.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, signIn, test } from './fixtures.ts';
import { call, definition, execute, publish, waitForEnd } from './runs-api.ts';

test('a 2 s delay is seen running, then completed, without a reload', async ({ page, server, shot }) => {
  const token = await server.token('1');
  const id = await publish(
    server,
    token,
    definition(
      'Slow greeting',
      {
        start: ['trigger_manual'],
        wait: ['action_delay', { delay_ms: 2000 }],
        say: ['action_chat_message', { message: 'Hello {{ user }}' }],
      },
      ['start -> wait', 'wait -> say'],
    ),
  );
  await signIn(page, server, '1', token);
  const executionId = await execute(server, token, id, { user: 'alice' });
  await page.goto(`${server.url}/executions/${executionId}`);
  const wait = page.getByTestId('run-node-wait');
  await expect(wait).toHaveAttribute('data-status', 'running');
  await expect(page.getByText('live', { exact: true })).toBeVisible();
  let reloaded = false;
  page.on('load', () => {
    reloaded = true;
  });
  await expect(wait).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
  await expect(page.getByTestId('run-node-say')).toHaveAttribute('data-status', 'completed');
  await expect(page.locator('.summary .run-status')).toHaveText('completed');
  expect(reloaded).toBe(false);
  await expect(page.getByRole('cell', { name: 'chat_message' }).first()).toBeVisible();
  await expect(page.locator('.gantt-row[data-node="wait"] .gantt-bar')).toHaveCount(1);
  await page.getByTestId('run-node-say').click();
  await expect(page.getByRole('region', { name: 'Node say' })).toBeVisible();
  await shot('run-page');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
});

test('a failing run shows its error on the node that failed', async ({ page, server }) => {
  const token = await server.token('1');
  const id = await publish(
    server,
    token,
    definition(
      'Fails',
      {
        start: ['trigger_manual'],
        fine: ['data_variable_set', { variables: { a: 1 } }],
        broken: ['data_transform', { transformations: { b: '$error("no luck")' } }],
        after: ['flow_end'],
      },
      ['start -> fine', 'fine -> broken', 'broken -> after'],
    ),
  );
  const executionId = await execute(server, token, id);
  const ended = await waitForEnd(server, token, executionId);
  expect(ended.status).toBe('failed');
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/executions/${executionId}`);
  await expect(page.getByTestId('run-node-broken')).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('run-node-broken')).toContainText('error here');
  await expect(page.getByTestId('run-node-fine')).not.toContainText('error here');
  await expect(page.locator('.run-error')).toContainText('broken');
  await expect(page.locator('.run-error-message')).toContainText('no luck');
  await expect(page.getByRole('region', { name: 'Node broken' })).toContainText('no luck');
});

test('cancel stops a running run from its page', async ({ page, server }) => {
  const token = await server.token('1');
  const id = await publish(
    server,
    token,
    definition('Long wait', { start: ['trigger_manual'], wait: ['action_delay', { delay_ms: 60000 }] }, [
      'start -> wait',
    ]),
  );
  const executionId = await execute(server, token, id);
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/executions/${executionId}`);
  await expect(page.getByTestId('run-node-wait')).toHaveAttribute('data-status', 'running');
  await page.getByRole('button', { name: 'Cancel run' }).click();
  await expect(page.locator('.summary .run-status')).toHaveText('cancelled');
  await expect(page.getByTestId('run-node-wait')).toHaveAttribute('data-status', /cancelled|failed/);
  await expect(page.getByRole('button', { name: 'Cancel run' })).toHaveCount(0);
  const read = await call<{ status: string }>(server, token, 'GET', `/api/v1/workflows/executions/${executionId}`);
  expect(read.data.status).toBe('cancelled');
});

test('an unknown execution shows the API code and message', async ({ page, server }) => {
  await signIn(page, server, '1');
  await page.goto(`${server.url}/executions/00000000-0000-4000-8000-000000000000`);
  await expect(page.getByRole('alert')).toContainText('EXECUTION_NOT_FOUND');
});

test('an expired token asks to sign in again over the same page, which then loads', async ({ page, server }) => {
  const token = await server.token('1');
  const id = await publish(
    server,
    token,
    definition('Quick', { start: ['trigger_manual'], end: ['flow_end'] }, ['start -> end']),
  );
  const executionId = await execute(server, token, id);
  await waitForEnd(server, token, executionId);
  await signIn(page, server, '1', token);
  // A token the server no longer accepts, as an expired one.
  await page.evaluate(() => sessionStorage.setItem('workflow-core.token', 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.x'));
  await page.goto(`${server.url}/executions/${executionId}`);
  const dialog = page.getByRole('dialog', { name: 'Session expired' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Token').fill(await server.token('1'));
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.summary .run-status')).toHaveText('completed');
  expect(new URL(page.url()).pathname).toBe(`/executions/${executionId}`);
});
