/**
 * The run page's timeline while a run is live and after it: a node retried twice on one parallel
 * branch and a delay on the other are drawn live as the stored timeline draws them at the end
 * (three attempts of one run, branches on lanes of their own), a node not reached yet is shown
 * pending, and the axis keeps its last label inside the chart.
 */
import type { Page } from '@playwright/test';
import { expect, noSeriousViolations, signIn, test } from './fixtures.ts';
import { definition, execute, publish } from './runs-api.ts';

/** What a reader sees of the timeline: lane headings, row labels and each bar's classes. */
async function timelineOf(page: Page, nodes: readonly string[]) {
  const lanes = await page.locator('.gantt-lane').allTextContents();
  const rows: Record<string, { label: string; bars: string[] }> = {};
  for (const node of nodes) {
    const row = page.locator(`.gantt-row[data-node="${node}"]`);
    rows[node] = {
      label: (await row.locator('.gantt-label').textContent()) ?? '',
      bars: await row.locator('.gantt-bar').evaluateAll((bars) => bars.map((bar) => bar.className)),
    };
  }
  return { lanes, rows };
}

test('retries and parallel branches are drawn live as the stored timeline draws them', async ({
  page,
  server,
  shot,
}) => {
  const token = await server.token('1');
  const def = definition(
    'Flaky in parallel',
    {
      start: ['trigger_manual'],
      fork: ['flow_parallel'],
      flaky: ['data_transform', { transformations: { b: '$error("service unavailable")' } }],
      handled: ['data_variable_set', { variables: { handled: true } }],
      // Every live check below is made while this runs: long enough for a busy machine too.
      wait: ['action_delay', { delay_ms: 10_000 }],
      after: ['data_variable_set', { variables: { after: true } }],
    },
    ['start -> fork', 'fork -> flaky', 'fork -> wait', 'flaky:error -> handled', 'wait -> after'],
  );
  Object.assign(def.nodes.flaky, { retry: { max_attempts: 3, backoff_ms: 300, max_backoff_ms: 600 } });
  const id = await publish(server, token, def);
  await signIn(page, server, '1', token);
  const executionId = await execute(server, token, id);
  await page.goto(`${server.url}/executions/${executionId}`);

  const flaky = page.locator('.gantt-row[data-node="flaky"]');
  await expect(flaky.locator('.gantt-bar')).toHaveCount(3, { timeout: 10_000 });
  await expect(page.getByTestId('run-node-handled')).toHaveAttribute('data-status', 'completed');
  await expect(page.getByText('live', { exact: true })).toBeVisible();
  const after = page.getByTestId('run-node-after');
  await expect(after).toHaveAttribute('data-status', 'pending');
  await expect(after).toHaveClass(/run-node-pending/);
  // Every node stays drawn while the live events repaint them (read at once, not waited for).
  const shown = await page
    .locator('.react-flow__node')
    .evaluateAll((cards) => cards.map((card) => `${card.dataset.id}: ${getComputedStyle(card).visibility}`));
  expect(shown).toEqual(['start', 'fork', 'flaky', 'handled', 'wait', 'after'].map((id) => `${id}: visible`));
  // Selecting a node repaints it (an outline, no new size): it stays drawn too.
  await page.getByTestId('run-node-fork').click();
  await expect(page.getByTestId('run-node-fork')).toHaveClass(/run-node-selected/);
  const afterClick = await page
    .locator('.react-flow__node')
    .evaluateAll((cards) => cards.map((card) => `${card.dataset.id}: ${getComputedStyle(card).visibility}`));
  expect(afterClick).toEqual(shown);
  const nodes = ['flaky', 'handled', 'wait'];
  const live = await timelineOf(page, nodes);
  await shot('live-timeline-live');
  await noSeriousViolations(page);

  await expect(page.getByTestId('run-node-after')).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
  await expect(page.getByText('live', { exact: true })).toHaveCount(0);
  await expect(page.locator('.gantt-row[data-node="after"] .gantt-bar')).toHaveCount(1);
  const stored = await timelineOf(page, nodes);
  await shot('live-timeline-finished');

  // One run of three attempts, the later two drawn as retries, not three runs.
  expect(stored.rows.flaky.label).toBe('flaky (2 retries)');
  expect(stored.rows.flaky.bars).toEqual([
    'gantt-bar gantt-failed',
    'gantt-bar gantt-failed gantt-retry',
    'gantt-bar gantt-failed gantt-retry',
  ]);
  expect(stored.lanes).toEqual(['main', 'parallel branch 1', 'parallel branch 2']);
  // Live, the same rows and lanes; only the delay was still running.
  expect(live.lanes).toEqual(stored.lanes);
  expect(live.rows.flaky).toEqual(stored.rows.flaky);
  expect(live.rows.handled).toEqual(stored.rows.handled);
  expect(live.rows.wait.bars).toEqual(['gantt-bar gantt-running']);
  expect(stored.rows.wait.bars).toEqual(['gantt-bar gantt-completed']);

  // The last tick's label ends inside the track, not past its right edge.
  const track = await page.locator('.gantt-axis .gantt-track').boundingBox();
  const last = await page.locator('.gantt-tick').last().boundingBox();
  expect(track && last && last.x + last.width <= track.x + track.width + 0.5).toBe(true);
});
