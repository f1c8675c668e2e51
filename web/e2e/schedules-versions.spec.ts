/**
 * What the schedules and versions panels tell after real use: a schedule that has fired shows its
 * last run (a link to that run's page), how many runs it made of its maximum, and that it is
 * retired; the working copy compared with the published version lists the nodes added and
 * removed, the changed field and the connections.
 */
import { expect, noSeriousViolations, signIn, test } from './fixtures.ts';
import { call, definition, publish } from './runs-api.ts';

test('a schedule that has fired shows its last run, its run count of the maximum, and retires', async ({
  page,
  server,
}) => {
  const token = await server.token('1');
  const id = await publish(
    server,
    token,
    definition(
      'Ticker',
      {
        tick: ['trigger_schedule', { cron: '* * * * * *', timezone: 'Europe/Berlin', max_executions: 2 }],
        say: ['action_chat_message', { message: 'tick' }],
      },
      ['tick -> say'],
    ),
  );
  // The scheduler fires each second; wait through the API until both runs are done.
  await expect
    .poll(
      async () => {
        const list = await call<{ status: string }[]>(
          server,
          token,
          'GET',
          `/api/v1/workflows/${id}/executions?community_id=456`,
        );
        return list.data.filter((run) => run.status === 'completed').length;
      },
      { timeout: 15_000 },
    )
    .toBe(2);
  const runs = await call<{ execution_id: string; start_time: string }[]>(
    server,
    token,
    'GET',
    `/api/v1/workflows/${id}/executions?community_id=456&sort_by=start_time&sort_order=desc`,
  );

  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations?tab=schedules`);
  const schedule = page.getByRole('article', { name: 'Schedule of node tick' });
  await expect(schedule.getByRole('heading')).toHaveText('* * * * * * in Europe/Berlin');
  await expect(schedule.locator('dt:has-text("Runs") + dd')).toHaveText('2 of at most 2');
  await expect(schedule.locator('dt:has-text("Next run (server)") + dd')).toHaveText('retired');
  const lastRun = schedule.locator('dt:has-text("Last run") + dd a');
  await expect(lastRun).toHaveAttribute('href', `/executions/${runs.data[0].execution_id}`);
  await noSeriousViolations(page);

  await lastRun.click();
  await expect(page).toHaveURL(`${server.url}/executions/${runs.data[0].execution_id}`);
  await expect(page.getByText('schedule', { exact: true })).toBeVisible();
});

test('the working copy against the published version: nodes added and removed, a field, connections', async ({
  page,
  server,
}) => {
  const token = await server.token('1');
  const id = await publish(
    server,
    token,
    definition(
      'Greeter',
      {
        start: ['trigger_manual'],
        say: ['action_chat_message', { message: 'Hello' }],
        old: ['action_delay', { delay_ms: 10 }],
      },
      ['start -> say', 'say -> old'],
    ),
  );
  const current = await call<{ nodes: Record<string, { config: Record<string, unknown> }> }>(
    server,
    token,
    'GET',
    `/api/v1/workflows/${id}`,
  );
  const { old: _removed, ...kept } = structuredClone(current.data.nodes);
  kept.say.config.message = 'Welcome';
  const edited = definition(
    'Greeter',
    { start: ['trigger_manual'], say: ['action_chat_message'], wave: ['action_chat_message', { message: 'o/' }] },
    ['start -> say', 'say -> wave'],
  );
  const saved = await call(server, token, 'PUT', `/api/v1/workflows/${id}`, {
    nodes: { ...kept, wave: edited.nodes.wave },
    connections: edited.connections,
  });
  expect(saved.status).toBe(200);

  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations?tab=versions`);
  // Opens on the latest version against the working copy, as a user checking "what did I change".
  await expect(page.getByLabel('From')).toHaveValue('1');
  await expect(page.getByLabel('To')).toHaveValue('working');
  const diff = page.locator('.version-diff');
  await expect(diff.getByText('Nodes added:')).toBeVisible();
  await expect(diff.locator('p', { hasText: 'Nodes added:' })).toContainText('wave');
  await expect(diff.locator('p', { hasText: 'Nodes removed:' })).toContainText('old');
  const field = page.locator('table.diff-fields tbody tr');
  await expect(field).toHaveCount(1);
  await expect(field).toContainText('say');
  await expect(field).toContainText('config.message');
  await expect(field).toContainText('"Hello"');
  await expect(field).toContainText('"Welcome"');
  await expect(diff.locator('ul.diff-connections li')).toHaveText([
    /^added connection say:\w+ → wave:\w+$/,
    /^removed connection say:\w+ → old:\w+$/,
  ]);
  await noSeriousViolations(page);

  // The same version on both sides has nothing to list.
  await page.getByLabel('To').selectOption('1');
  await expect(page.getByText('No differences.')).toBeVisible();
});
