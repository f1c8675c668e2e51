/**
 * The webhooks panel as its user drives it: disabled, a correctly signed call is refused with
 * 403 WEBHOOK_DISABLED (and "Send test" shows that code and message), enabled again it is
 * accepted; the trigger count and last trigger show in the list; a rotated secret is shown once
 * with its copy button, the old signature is refused and the new one works; calls from outside
 * show in the list without a reload; a network failure of
 * "Send test" is shown, not swallowed; delete asks in the app's dialog (Cancel keeps the webhook).
 * Once the secret is hidden, "Try it" signs the curl with the secret the user pasted, and "Copy URL"
 * gives the address to paste into the calling service.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { SAMPLE_BODY } from '../src/panels/webhook-test-call.ts';
import { expect, noSeriousViolations, SCREENSHOTS, type Server, signIn, test } from './fixtures.ts';
import { call, definition, publish } from './runs-api.ts';

/** A call as a third party makes it: its own HMAC (node:crypto, not the page's), the public route. */
async function trigger(server: Server, token: string, secret: string): Promise<{ status: number; code?: string }> {
  const body = JSON.stringify({ event: 'order.paid', order: 42 });
  const signature = `sha256=${createHmac('sha256', secret)
    .update(token + body)
    .digest('hex')}`;
  const response = await fetch(`${server.url}/api/v1/workflows/webhooks/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-signature': signature },
    body,
  });
  const answer = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: answer.error?.code };
}

test('a webhook is disabled, enabled, triggered, rotated and deleted from its panel', async ({ browser, server }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
  const apiToken = await server.token('1');
  const id = await publish(
    server,
    apiToken,
    definition('Shop hook', { hook: ['trigger_webhook'], say: ['action_chat_message', { message: 'Paid' }] }, [
      'hook -> say',
    ]),
  );
  await signIn(page, server, '1', apiToken);
  await page.goto(`${server.url}/workflows/${id}/operations?tab=webhooks`);
  await expect(page.getByText('No webhooks yet.')).toBeVisible();
  await page.getByLabel('New webhook name').fill('Shop');
  await page.getByRole('button', { name: 'Create webhook' }).click();

  const row = page.locator('tr[data-webhook]').filter({ hasText: 'Shop' });
  const secretShown = page.getByTestId('webhook-secret');
  await expect(secretShown).toHaveText(/\S{21,}/);
  const firstSecret = (await secretShown.textContent()) ?? '';
  await page.getByRole('button', { name: 'Copy secret' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Secret copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(firstSecret);
  await expect(page.getByTestId('webhook-curl')).toContainText('X-Webhook-Signature: sha256=');
  await expect(row.getByTestId('webhook-trigger-count')).toHaveText('0');
  await expect(row.getByTestId('webhook-last-triggered')).toHaveText('–');
  const hookToken = ((await row.locator('code.url').textContent()) ?? '').split('/').pop() as string;
  await shot('webhooks-secret-shown');

  // Disabled: the third party's correctly signed call is refused, and so is "Send test".
  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row.getByRole('cell', { name: 'no', exact: true })).toBeVisible();
  expect(await trigger(server, hookToken, firstSecret)).toEqual({ status: 403, code: 'WEBHOOK_DISABLED' });
  await page.getByRole('button', { name: 'Send test' }).click();
  await expect(page.getByRole('alert')).toHaveText('The test call failed: WEBHOOK_DISABLED Webhook is disabled');
  await noSeriousViolations(page);
  await shot('webhooks-send-test-refused');

  // Enabled again: accepted; "Send test" links to its run and the list counts both calls.
  await row.getByRole('button', { name: 'Enable' }).click();
  await expect(row.getByRole('cell', { name: 'yes', exact: true })).toBeVisible();
  expect(await trigger(server, hookToken, firstSecret)).toEqual({ status: 200, code: undefined });
  await page.getByRole('button', { name: 'Send test' }).click();
  const testRun = page.getByTestId('webhook-test-run');
  await expect(testRun).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  const testRunId = ((await testRun.getAttribute('href')) ?? '').split('/').pop() as string;
  const started = await call<{ workflow_id: string }>(
    server,
    apiToken,
    'GET',
    `/api/v1/workflows/executions/${testRunId}`,
  );
  expect(started.status).toBe(200);
  expect(started.data.workflow_id).toBe(id);
  await expect(row.getByTestId('webhook-trigger-count')).toHaveText('2');
  await expect(row.getByTestId('webhook-last-triggered')).not.toHaveText('–');
  await noSeriousViolations(page);

  // A call from outside shows after a reload, as a user would look again; the secret is gone then.
  expect((await trigger(server, hookToken, firstSecret)).status).toBe(200);
  await page.reload();
  await expect(row.getByTestId('webhook-trigger-count')).toHaveText('3');
  await expect(row.getByTestId('webhook-last-triggered')).toHaveText(/2026|\d{2}:\d{2}/);
  await expect(secretShown).toHaveCount(0);
  await expect(page.getByText(firstSecret)).toHaveCount(0);

  // Rotate: a new secret, shown once with its copy button; the old signature stops working.
  await row.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(secretShown).toHaveText(/\S{21,}/);
  const secondSecret = (await secretShown.textContent()) ?? '';
  expect(secondSecret).not.toBe(firstSecret);
  await page.getByRole('button', { name: 'Copy secret' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secondSecret);
  expect(await trigger(server, hookToken, firstSecret)).toEqual({ status: 403, code: 'SIGNATURE_INVALID' });
  expect(await trigger(server, hookToken, secondSecret)).toEqual({ status: 200, code: undefined });

  // The server cannot be reached: "Send test" says so with the client's code, no blank panel.
  await page.route('**/api/v1/workflows/webhooks/**', (route) => route.abort('connectionrefused'));
  await page.getByRole('button', { name: 'Send test' }).click();
  await expect(page.getByRole('alert')).toContainText('The test call failed: NETWORK_ERROR The server could not');
  await page.unroute('**/api/v1/workflows/webhooks/**');
  await page.getByRole('button', { name: 'Done, hide the secret' }).click();
  await expect(secretShown).toHaveCount(0);
  // The call with the new secret came from outside too: the list shows it without a reload.
  await expect(row.getByTestId('webhook-trigger-count')).toHaveText('4', { timeout: 10_000 });
  await noSeriousViolations(page);
  await shot('webhooks-list');

  // Delete asks in the app's dialog: Cancel keeps the webhook working, "Delete webhook" removes it.
  const question = page.getByRole('alertdialog', { name: 'Delete this webhook?' });
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(question).toHaveText(
    'Delete this webhook?Delete webhook “Shop” (4 triggers)? Callers of its URL get 404 WEBHOOK_NOT_FOUND from now on. This cannot be undone.CancelDelete webhook',
  );
  await expect(question.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await noSeriousViolations(page);
  await shot('webhooks-delete-dialog');
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  await expect(row.getByRole('button', { name: 'Delete' })).toBeFocused();
  await expect(row).toBeVisible();
  expect((await trigger(server, hookToken, secondSecret)).status).toBe(200);
  await row.getByRole('button', { name: 'Delete' }).click();
  await question.getByRole('button', { name: 'Delete webhook' }).click();
  await expect(question).toHaveCount(0);
  await expect(row).toHaveCount(0);
  await expect(page.getByText('No webhooks yet.')).toBeVisible();
  expect(await trigger(server, hookToken, secondSecret)).toEqual({ status: 404, code: 'WEBHOOK_NOT_FOUND' });
  const listed = await call<unknown[]>(server, apiToken, 'GET', `/api/v1/workflows/${id}/webhooks`);
  expect(listed.data).toEqual([]);
  await context.close();
});

test('once the secret is hidden, Try it signs the curl with a pasted secret, and the URL copies', async ({
  browser,
  server,
}) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const apiToken = await server.token('1');
  const id = await publish(
    server,
    apiToken,
    definition(
      'Release hook',
      { hook: ['trigger_webhook'], say: ['action_chat_message', { message: 'New release' }] },
      ['hook -> say'],
    ),
  );
  await signIn(page, server, '1', apiToken);
  await page.goto(`${server.url}/workflows/${id}/operations?tab=webhooks`);
  await page.getByLabel('New webhook name').fill('GitHub');
  await page.getByRole('button', { name: 'Create webhook' }).click();
  const secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
  expect(secret).toMatch(/\S{21,}/);
  await page.getByRole('button', { name: 'Done, hide the secret' }).click();
  await expect(page.getByTestId('webhook-secret')).toHaveCount(0);

  // From here on the secret is only what the user pastes: no request may carry it.
  const sent: string[] = [];
  page.on('request', (request) => {
    sent.push(`${request.url()}\n${JSON.stringify(request.headers())}\n${request.postData() ?? ''}`);
  });

  const row = page.locator('tr[data-webhook]').filter({ hasText: 'GitHub' });
  const url = (await row.locator('code.url').textContent()) ?? '';
  const hookToken = url.split('/').pop() as string;
  await row.getByRole('button', { name: 'Copy URL of GitHub' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  await row.getByRole('button', { name: 'Try it' }).click();
  const tryIt = page.getByRole('region', { name: 'Try “GitHub”' });
  // Nothing to sign with yet: no curl and no test call.
  await expect(tryIt.getByTestId('webhook-curl')).toHaveCount(0);
  await tryIt.getByLabel('Signing secret').fill('not-the-secret');
  await tryIt.getByRole('button', { name: 'Send test' }).click();
  await expect(tryIt.getByRole('alert')).toContainText('The test call failed: SIGNATURE_INVALID');
  await noSeriousViolations(page);

  await tryIt.getByLabel('Signing secret').fill(secret);
  await expect(tryIt.getByRole('alert')).toHaveCount(0);
  // The curl is signed again for the pasted secret; wait for that signature, not an earlier one.
  const signature = `sha256=${createHmac('sha256', secret)
    .update(hookToken + SAMPLE_BODY)
    .digest('hex')}`;
  await expect(tryIt.getByTestId('webhook-curl')).toContainText(`X-Webhook-Signature: ${signature}`);
  const curl = (await tryIt.getByTestId('webhook-curl').textContent()) ?? '';
  expect(curl).toContain(url);
  expect(curl).not.toContain(secret);
  await page.screenshot({ path: `${SCREENSHOTS}/webhooks-try-it.png`, fullPage: true });
  const answer = execFileSync('sh', ['-c', `${curl} -w '\\n%{http_code}'`], { encoding: 'utf8' });
  expect(answer.trim().split('\n').pop()).toBe('200');
  // The call from the shell shows in the list on its own (it refreshes every few seconds).
  await expect(row.getByTestId('webhook-trigger-count')).toHaveText('1', { timeout: 10_000 });
  await tryIt.getByRole('button', { name: 'Send test' }).click();
  await expect(tryIt.getByTestId('webhook-test-run')).toBeVisible();
  await expect(row.getByTestId('webhook-trigger-count')).toHaveText('2');
  await tryIt.getByRole('button', { name: 'Close' }).click();
  await expect(tryIt).toHaveCount(0);
  // The pasted secret signed the calls and went nowhere: not in a request, the address or storage.
  expect(sent.some((request) => request.includes(`x-webhook-signature":"${signature}`))).toBe(true);
  expect(sent.filter((request) => request.includes(secret))).toEqual([]);
  const kept = await page.evaluate(() => [location.href, JSON.stringify(localStorage), JSON.stringify(sessionStorage)]);
  expect(kept.filter((text) => text.includes(secret))).toEqual([]);
  await context.close();
});
