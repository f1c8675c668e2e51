/**
 * The run page: a 2 s delay observed live (running → completed without a reload), a failing run
 * with its error on the right node, cancel, a value over the stored cap shown as its marker, the
 * error pages, and an expired token signed in again over the page. axe checks each of them.
 * ("Debug in editor" is in operations.spec.ts.)
 */
import { expect, noSeriousViolations, signIn, test } from './fixtures.ts';
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
  // While it runs: the live badge and the running (animated) node.
  await noSeriousViolations(page);
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
  await noSeriousViolations(page);
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
  await noSeriousViolations(page);
});

test('cancel stops a running run from its page: the run and the node it interrupted are cancelled', async ({
  page,
  server,
  shot,
}) => {
  const token = await server.token('1');
  const id = await publish(
    server,
    token,
    definition(
      'Long wait',
      {
        start: ['trigger_manual'],
        wait: ['action_delay', { delay_ms: 60000 }],
        after: ['action_chat_message', { message: 'never sent' }],
      },
      ['start -> wait', 'wait -> after'],
    ),
  );
  const executionId = await execute(server, token, id);
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/executions/${executionId}`);
  await expect(page.getByTestId('run-node-wait')).toHaveAttribute('data-status', 'running');
  await page.getByRole('button', { name: 'Cancel run' }).click();
  // PRODUCT §5: the run is cancelled, the interrupted node is cancelled (not failed), the nodes it
  // would have reached are skipped; live, and the same once the page is read again from the store.
  for (const reading of ['live', 'reloaded']) {
    if (reading === 'reloaded') await page.reload();
    await expect(page.locator('.summary .run-status')).toHaveText('cancelled');
    await expect(page.getByTestId('run-node-wait')).toHaveAttribute('data-status', 'cancelled');
    await expect(page.getByTestId('run-node-after')).toHaveAttribute('data-status', 'skipped');
    await expect(page.getByRole('button', { name: 'Cancel run' })).toHaveCount(0);
    // Said as what the user did, at the node it stopped, not as a failure.
    await expect(page.locator('.run-error')).toHaveText(/^Cancelled at wait: /);
  }
  await page.getByTestId('run-node-wait').click();
  await expect(page.getByRole('region', { name: 'Node wait' }).locator('h3')).toHaveText('wait cancelled');
  await shot('run-cancelled');
  await noSeriousViolations(page);
  const read = await call<{ status: string; node_states: Record<string, { status: string }> }>(
    server,
    token,
    'GET',
    `/api/v1/workflows/executions/${executionId}`,
  );
  expect(read.data.status).toBe('cancelled');
  expect(read.data.node_states.wait.status).toBe('cancelled');
  expect(read.data.node_states.after?.status ?? 'skipped').toBe('skipped');
});

test('a node output over the stored cap shows its truncation marker; the browser gets only the marker', async ({
  page,
  server,
  shot,
}) => {
  const token = await server.token('1');
  const id = await publish(
    server,
    token,
    definition(
      'Big value',
      {
        start: ['trigger_manual'],
        wait: ['action_delay', { delay_ms: 1500 }],
        // 200 000 characters: three times the 64 KiB a stored node output keeps (PRODUCT §5).
        big: ['data_transform', { transformations: { text: '$pad("", 200000, "x")' } }],
      },
      ['start -> wait', 'wait -> big'],
    ),
  );
  await signIn(page, server, '1', token);
  // Every API answer's body, read as it arrives (a body is gone once the page navigates; the
  // home page's last answers after signing in may be, and are told apart by their path).
  const answers: Array<Promise<{ path: string; text: string | null }>> = [];
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (!path.startsWith('/api/')) return;
    answers.push(
      response.text().then(
        (text) => ({ path, text }),
        () => ({ path, text: null }),
      ),
    );
  });
  // The event stream's body is not kept by the browser's network log (it streams), so the page
  // itself keeps a copy of what each stream brought: fetch is wrapped before the app loads.
  await page.addInitScript(() => {
    const kept: Array<{ url: string; text: string }> = [];
    Object.assign(window, { __streams: kept });
    const original = window.fetch.bind(window);
    window.fetch = async (...args: Parameters<typeof fetch>) => {
      const response = await original(...args);
      if (response.body && (response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        const record = { url: response.url, text: '' };
        kept.push(record);
        const reader = response.clone().body?.getReader();
        const decoder = new TextDecoder();
        void (async () => {
          for (let part = await reader?.read(); part && !part.done; part = await reader?.read())
            record.text += decoder.decode(part.value, { stream: true });
        })();
      }
      return response;
    };
  });
  // First live: the big output arrives over the run's event stream while the page is open.
  const executionId = await execute(server, token, id);
  await page.goto(`${server.url}/executions/${executionId}`);
  await expect(page.getByTestId('run-node-wait')).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('run-node-big')).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
  await page.getByTestId('run-node-big').click();
  const marker = 'truncated as stored (195.3 KiB)';
  await expect(page.getByRole('region', { name: 'Output of big' }).locator('.truncated-marker')).toHaveText(marker);
  const streams = await page.evaluate(
    () => (window as unknown as { __streams: Array<{ url: string; text: string }> }).__streams,
  );
  expect(streams.map((stream) => new URL(stream.url).pathname)).toContain(
    `/api/v1/workflows/executions/${executionId}/events`,
  );
  // The big node's event carried its output as the marker, and nothing longer than the preview.
  const long = 'x'.repeat(2_000);
  expect(streams.some((stream) => /"node_id":"big".*"truncated":true/.test(stream.text))).toBe(true);
  for (const stream of streams) expect(stream.text.includes(long), stream.url).toBe(false);

  // Then read from the store: the execution's JSON holds the marker, not the value.
  const execution = page.waitForResponse(
    (response) => new URL(response.url()).pathname === `/api/v1/workflows/executions/${executionId}`,
  );
  await page.reload();
  const body = await (await execution).text();
  const output = (JSON.parse(body) as { data: { node_states: Record<string, { output_data: unknown }> } }).data
    .node_states.big.output_data as { truncated: boolean; size_bytes: number; preview: string };
  expect(output.truncated).toBe(true);
  expect(output.size_bytes).toBeGreaterThan(200_000);
  expect(output.preview.length).toBeLessThanOrEqual(1025);
  expect(JSON.stringify(output).length).toBeLessThan(64 * 1024);
  // The whole answer (input, output and final variables all capped) stays under one value's cap.
  expect(body.length).toBeLessThan(64 * 1024);
  await page.getByTestId('run-node-big').click();
  const shown = page.getByRole('region', { name: 'Output of big' });
  await expect(shown.locator('.truncated-marker')).toHaveText(marker);
  await expect(shown.locator('.json-preview')).toContainText('{"text":"xxxxxxxxxx');
  await shot('run-truncated-output');
  await noSeriousViolations(page);

  // No other route brought the full value in: no answer the page got holds more x's than the
  // preview has (the streams, which the network log does not keep, were read above).
  for (const { path, text } of await Promise.all(answers)) {
    if (path.endsWith('/events')) continue;
    if (text === null) expect(path, 'an answer of the run page could not be read').not.toContain(executionId);
    else expect(text.includes(long), path).toBe(false);
  }
});

test('an unknown execution or workflow shows the API code and message', async ({ page, server }) => {
  await signIn(page, server, '1');
  const unknown = '00000000-0000-4000-8000-000000000000';
  await page.goto(`${server.url}/executions/${unknown}`);
  await expect(page.getByRole('alert')).toContainText('EXECUTION_NOT_FOUND');
  await noSeriousViolations(page);
  for (const path of [`/workflows/${unknown}`, `/workflows/${unknown}/operations`]) {
    await page.goto(`${server.url}${path}`);
    await expect(page.getByRole('alert')).toContainText(/WORKFLOW_NOT_FOUND \S/);
    await noSeriousViolations(page);
  }
});

test('an expired token asks to sign in again over the same page, which then loads', async ({ page, server, shot }) => {
  const token = await server.token('1');
  const id = await publish(
    server,
    token,
    definition('Quick', { start: ['trigger_manual'], end: ['flow_end'] }, ['start -> end']),
  );
  const executionId = await execute(server, token, id);
  await waitForEnd(server, token, executionId);
  // A token the server once issued, whose `exp` has passed: the server refuses it as expired.
  const expired = await server.expiredToken('1');
  const refused = await call(server, expired, 'GET', `/api/v1/workflows/executions/${executionId}`);
  expect([refused.status, refused.error?.message]).toEqual([401, 'Token has expired']);
  await signIn(page, server, '1', token);
  await page.evaluate((stale) => sessionStorage.setItem('workflow-core.token', stale), expired);
  await page.goto(`${server.url}/executions/${executionId}`);
  const dialog = page.getByRole('dialog', { name: 'Session expired' });
  await expect(dialog).toBeVisible();
  await shot('session-expired');
  await noSeriousViolations(page);
  await dialog.getByLabel('Token').fill(await server.token('1'));
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await expect(dialog).toHaveCount(0);
  expect(new URL(page.url()).pathname).toBe(`/executions/${executionId}`);
  await expect(page.getByText('The execution could not be loaded')).toHaveCount(0);
  await expect(page.locator('.summary .run-status')).toHaveText('completed');
  await expect(page.getByTestId('run-node-end')).toHaveAttribute('data-status', 'completed');
});
