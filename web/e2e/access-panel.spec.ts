/**
 * The access panel: a grant added in it is in the audit log with what it allows, who added it
 * and from which address; unticking view or removing the grant takes the second user's access
 * away (they see "not found" again); a viewer without can_manage_permissions sees a read-only
 * note and the audit log, no controls; the log pages as the API pages it.
 */
import type { Page } from '@playwright/test';
import { expect, noSeriousViolations, SCREENSHOTS, signIn, test } from './fixtures.ts';
import { call, definition, publish } from './runs-api.ts';

const greeter = () =>
  definition('Greeter', { start: ['trigger_manual'], say: ['action_chat_message', { message: 'Hi' }] }, [
    'start -> say',
  ]);

/** The cells of the audit log's newest row (When left out: it is the clock's). */
async function newestAudit(page: Page): Promise<string[]> {
  const cells = page.locator('table.audit tbody tr').first().locator('td');
  return (await cells.allTextContents()).slice(1);
}

test('grants changed and removed in the panel take the second user in and out', async ({ page, browser, server }) => {
  const token = await server.token('1');
  const id = await publish(server, token, greeter());
  const operations = `${server.url}/workflows/${id}/operations`;
  const other = await browser.newContext();
  const second = await other.newPage();
  await signIn(second, server, '2');
  await second.goto(operations);
  await expect(second.getByRole('alert')).toContainText('WORKFLOW_NOT_FOUND');

  await signIn(page, server, '1', token);
  await page.goto(`${operations}?tab=access`);
  await expect(page.getByText('No grants: only the owner has access.')).toBeVisible();
  const form = page.getByRole('form', { name: 'Add a grant' });
  await form.getByLabel('Target id').fill('2');
  await form.getByLabel('execute').check();
  await form.getByRole('button', { name: 'Add grant' }).click();
  const grantRow = page.locator('tr[data-grant="user 2"]');
  await expect(grantRow).toBeVisible();
  await expect(page.getByLabel('view for user 2')).toBeChecked();
  await expect(page.getByLabel('execute for user 2')).toBeChecked();
  await expect(page.getByLabel('edit for user 2')).not.toBeChecked();
  // The server records the loopback peer as 127.0.0.1 (client-ip.ts writes ::ffff:127.0.0.1 as 127.0.0.1).
  await expect
    .poll(() => newestAudit(page))
    .toEqual([
      'user1 (1)',
      'Grant set permission_granted',
      'user 2: may view, execute; may not edit, delete, manage permissions',
      '127.0.0.1',
    ]);
  await noSeriousViolations(page);
  await page.screenshot({ path: `${SCREENSHOTS}/access-manager.png`, fullPage: true });

  // The viewer: in, but reads the panel only: a note instead of the grants, and the audit log.
  await second.reload();
  await expect(second.getByRole('heading', { name: 'Greeter' })).toBeVisible();
  await second.getByRole('link', { name: 'Access' }).click();
  await expect(second.getByTestId('access-read-only')).toHaveText(
    'You can view this workflow but not manage its access. Adding, changing or removing grants needs can_manage_permissions; the owner or someone who holds it can give it to you. (The API answered PERMISSION_DENIED Permission can_manage_permissions is required on this workflow.)',
  );
  await expect(second.getByRole('alert')).toHaveCount(0);
  await expect(second.getByRole('button', { name: 'Add grant' })).toHaveCount(0);
  await expect(second.getByRole('checkbox')).toHaveCount(0);
  await expect(second.getByRole('button', { name: /Remove/ })).toHaveCount(0);
  await expect
    .poll(() => newestAudit(second))
    .toEqual([
      'user1 (1)',
      'Grant set permission_granted',
      'user 2: may view, execute; may not edit, delete, manage permissions',
      '127.0.0.1',
    ]);
  await noSeriousViolations(second);
  await second.screenshot({ path: `${SCREENSHOTS}/access-non-manager.png`, fullPage: true });

  // View unticked: the grant stays (execute alone) but the second user no longer finds the workflow.
  await page.getByLabel('view for user 2').uncheck();
  await expect(page.getByLabel('view for user 2')).not.toBeChecked();
  await expect
    .poll(() => newestAudit(page))
    .toEqual([
      'user1 (1)',
      'Grant set permission_granted',
      'user 2: may execute; may not view, edit, delete, manage permissions',
      '127.0.0.1',
    ]);
  await second.goto(operations);
  await expect(second.getByRole('alert')).toContainText('WORKFLOW_NOT_FOUND');
  await expect(second.getByRole('heading', { name: 'Greeter' })).toHaveCount(0);

  // Ticked again, then removed: in, then out again.
  await page.getByLabel('view for user 2').check();
  await expect(page.getByLabel('view for user 2')).toBeChecked();
  await second.reload();
  await expect(second.getByRole('heading', { name: 'Greeter' })).toBeVisible();

  // Two flags ticked in quick succession, the first answer slow: both stay ticked, and the server
  // ends with both (each change carries all five flags, so they must not cross on the way).
  let first = true;
  await page.route('**/api/v1/workflows/*/permissions', async (route) => {
    if (route.request().method() === 'PUT' && first) {
      first = false;
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    await route.continue();
  });
  await page.getByLabel('edit for user 2').check();
  await page.getByLabel('delete for user 2').check();
  await expect(page.getByLabel('edit for user 2')).toBeChecked();
  await expect(page.getByLabel('delete for user 2')).toBeChecked();
  await expect
    .poll(async () => {
      const listed = await call<{ target_id: string; can_edit: boolean; can_delete: boolean }[]>(
        server,
        token,
        'GET',
        `/api/v1/workflows/${id}/permissions`,
      );
      return listed.data.map((grant) => [grant.target_id, grant.can_edit, grant.can_delete]);
    })
    .toEqual([['2', true, true]]);
  await expect(page.getByLabel('edit for user 2')).toBeChecked();
  await expect(page.getByLabel('delete for user 2')).toBeChecked();
  await page.unroute('**/api/v1/workflows/*/permissions');

  await page.getByRole('button', { name: 'Remove grant for user 2' }).click();
  await expect(grantRow).toHaveCount(0);
  await expect(page.getByText('No grants: only the owner has access.')).toBeVisible();
  await expect
    .poll(() => newestAudit(page))
    .toEqual(['user1 (1)', 'Grant removed permission_revoked', 'user 2: no grant any more', '127.0.0.1']);
  const grants = await call<unknown[]>(server, token, 'GET', `/api/v1/workflows/${id}/permissions`);
  expect(grants.data).toEqual([]);
  await second.reload();
  await expect(second.getByRole('alert')).toContainText('WORKFLOW_NOT_FOUND');
  await noSeriousViolations(page);
  await other.close();
});

test('the audit log pages as the API does, newest first', async ({ page, server }) => {
  const token = await server.token('1');
  const id = await publish(server, token, greeter());
  // created + published, and 55 grants: 57 entries, 50 a page.
  for (let i = 0; i < 55; i++) {
    const put = await call(server, token, 'PUT', `/api/v1/workflows/${id}/permissions`, {
      permission_type: 'role',
      target_id: `mod-${i}`,
      can_view: true,
    });
    expect(put.status).toBe(200);
  }
  await signIn(page, server, '1', token);
  await page.goto(`${server.url}/workflows/${id}/operations?tab=access`);
  const rows = page.locator('table.audit tbody tr');
  const pager = page.getByRole('navigation', { name: 'Audit log pages' });
  await expect(pager).toContainText('page 1 of 2 (57 entries)');
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText('role mod-54: may view');
  await expect(pager.getByRole('button', { name: 'Newer' })).toBeDisabled();
  await pager.getByRole('button', { name: 'Older' }).click();
  await expect(pager).toContainText('page 2 of 2 (57 entries)');
  await expect(rows).toHaveCount(7);
  await expect(rows.nth(5)).toContainText('Version published');
  await expect(rows.nth(5)).toContainText('version 1');
  await expect(rows.nth(6)).toContainText('Workflow created');
  await expect(rows.nth(6)).toContainText('as “Greeter”');
  await expect(pager.getByRole('button', { name: 'Older' })).toBeDisabled();
  await noSeriousViolations(page);
  await pager.getByRole('button', { name: 'Newer' }).click();
  await expect(rows.first()).toContainText('role mod-54: may view');
});
