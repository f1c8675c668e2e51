/**
 * A watcher whose connection drops while the run goes on: the page says it is reconnecting, and
 * once the network is back it shows what happened meanwhile, stays live, and ends with the run's
 * final state. The browser reaches the server through a TCP proxy the test cuts and restores.
 */
import { startTcpProxy } from '../../test/helpers/tcp-proxy.ts';
import { expect, signIn, test } from './fixtures.ts';
import { call, definition, execute, publish, waitForEnd } from './runs-api.ts';

type NodeStates = Record<string, { status: string }>;

test('a dropped stream reconnects and shows the nodes that ran while it was away', async ({ page, server }) => {
  const port = Number(new URL(server.url).port);
  const proxy = await startTcpProxy({ host: '127.0.0.1', port });
  const viaProxy = { ...server, url: `http://127.0.0.1:${proxy.port}` };
  try {
    const token = await server.token('1');
    const id = await publish(
      server,
      token,
      definition(
        'Long show',
        {
          start: ['trigger_manual'],
          // Long enough for the page to load, sign in and go live before it ends, on a busy machine too.
          intro: ['action_delay', { delay_ms: 6000 }],
          hello: ['action_chat_message', { message: 'We are live' }],
          show: ['action_delay', { delay_ms: 10_000 }],
          bye: ['action_chat_message', { message: 'Bye' }],
        },
        ['start -> intro', 'intro -> hello', 'hello -> show', 'show -> bye'],
      ),
    );
    await signIn(page, viaProxy, '1', token);
    const executionId = await execute(server, token, id);
    /** The run as the server has it, asked directly, not through the proxy. */
    const nodeStates = async () =>
      (await call<{ node_states: NodeStates }>(server, token, 'GET', `/api/v1/workflows/executions/${executionId}`))
        .data.node_states;
    await page.goto(`${viaProxy.url}/executions/${executionId}`);
    await expect(page.getByTestId('run-node-intro')).toHaveAttribute('data-status', 'running');
    await expect(page.getByText('live', { exact: true })).toBeVisible();

    proxy.cut();
    // Cut while `intro` still runs (the server says so after the cut): all that follows is news.
    expect((await nodeStates()).intro?.status).toBe('running');
    await expect(page.getByText('reconnecting…', { exact: true })).toBeVisible();
    // While the page is cut off, the run moves on: `intro` and `hello` end and `show` starts.
    await expect.poll(async () => (await nodeStates()).show?.status, { timeout: 15_000 }).toBe('running');
    // The page has heard none of it: it still shows the run as it was at the cut.
    await expect(page.getByTestId('run-node-intro')).toHaveAttribute('data-status', 'running');
    await expect(page.getByTestId('run-node-hello')).toHaveAttribute('data-status', 'pending');
    await expect(page.getByTestId('run-node-show')).toHaveAttribute('data-status', 'pending');
    await expect(page.getByText('reconnecting…', { exact: true })).toBeVisible();
    proxy.restore();

    // Back online while `show` still runs (before the cut it had not started, so this is news the
    // new connection brought): what was missed is there, and the page is live again.
    await expect(page.getByText('live', { exact: true })).toBeVisible({ timeout: 10_000 });
    await expect(page.getByTestId('run-node-intro')).toHaveAttribute('data-status', 'completed');
    await expect(page.getByTestId('run-node-hello')).toHaveAttribute('data-status', 'completed');
    await expect(page.getByTestId('run-node-show')).toHaveAttribute('data-status', 'running');
    await expect(page.locator('.gantt-row[data-node="hello"] .gantt-bar')).toHaveCount(1);
    await expect(page.getByTestId('run-node-bye')).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
    await expect(page.locator('.summary .run-status')).toHaveText('completed');
    await expect(page.locator('.gantt-row[data-node="show"] .gantt-bar')).toHaveCount(1);
    await waitForEnd(server, token, executionId);
  } finally {
    await proxy.close();
  }
});
