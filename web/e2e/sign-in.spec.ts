/**
 * Signing in: the Token field, a `#token=` link on a deep link (then removed from the address
 * bar), who is signed in, sign out.
 */
import { expect, noSeriousViolations, signIn, test } from './fixtures.ts';

test('signs in with a pasted token and signs out', async ({ page, server, shot }) => {
  await page.goto(`${server.url}/`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await shot('sign-in');
  await noSeriousViolations(page);
  // The token as a user gets it: from the CLI.
  const token = server.cli(['token', '--user-id', '7', '--username', 'user7', '--entities', '123']);
  await signIn(page, server, '7', token);
  await expect(page.getByRole('link', { name: 'user7' })).toBeVisible();
  await page.getByRole('link', { name: 'user7' }).click();
  await expect(page.getByText('Entities: 123')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page.getByLabel('Token')).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
});

test('a #token= link signs in on a deep link and leaves the address bar clean', async ({ page, server }) => {
  const link = server.cli(['token', '--link', '--user-id', '8', '--username', 'linked', '--entities', '123']);
  expect(link).toMatch(/\/#token=[\w-]+\.[\w-]+\.[\w-]+$/);
  const token = link.split('#token=')[1];
  await page.goto(`${server.url}/sign-in#token=${token}`);
  await expect(page.getByText('Signed in as')).toBeVisible();
  await expect(page.getByText('linked')).toBeVisible();
  expect(page.url()).toBe(`${server.url}/sign-in`);
});
