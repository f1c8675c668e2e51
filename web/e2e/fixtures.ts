/**
 * The e2e fixtures: one `workflow-core serve` per worker on a fresh SQLite database in a temp
 * directory (started the way a user starts it), the CLI's `token` against the same key, a
 * `shot` helper that keeps a screenshot of each step in test-results/screenshots, and the one
 * axe check every page goes through.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { mintToken } from '../../src/auth/jwt.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'main.ts');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export interface Server {
  readonly url: string;
  /** `workflow-core token …` with the server's key; answers what it prints (slow: a process). */
  cli(args: string[]): string;
  /** A token for `userId` on entity 123, minted in-process with the server's key. */
  token(userId: string): Promise<string>;
  /** A token of the server's key whose `exp` passed five minutes ago: what a user's old tab holds. */
  expiredToken(userId: string): Promise<string>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startServe(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /"port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
  });
  return { child, port };
}

export const test = base.extend<{ shot: (name: string) => Promise<void> }, { server: Server }>({
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'wfc-e2e-'));
      // A known port, so webhook URLs (PUBLIC_BASE_URL) are ones a curl can call.
      const httpPort = await freePort();
      const env = {
        DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`,
        DATA_DIR: dir,
        JWT_SECRET: randomBytes(32).toString('hex'),
        PORT: String(httpPort),
        PUBLIC_BASE_URL: `http://127.0.0.1:${httpPort}`,
        GRPC_PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      };
      const { child, port } = await startServe(env);
      const url = `http://127.0.0.1:${port}`;
      await use({
        url,
        cli(args) {
          const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
            cwd: ROOT,
            env: { ...process.env, ...env, PUBLIC_BASE_URL: url },
            encoding: 'utf8',
          });
          if (result.status !== 0) throw new Error(`workflow-core ${args.join(' ')}: ${result.stderr}`);
          return result.stdout.trim();
        },
        token: (userId) => mintToken(env.JWT_SECRET, { userId, username: `user${userId}`, entities: [123], ttl: '1h' }),
        expiredToken: (userId) =>
          mintToken(env.JWT_SECRET, { userId, username: `user${userId}`, entities: [123], ttl: '5 minutes ago' }),
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  shot: async ({ page }, use, testInfo) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await use(async (name) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
      await testInfo.attach(name, { path: join(SCREENSHOTS, `${name}.png`), contentType: 'image/png' });
    });
  },
});

export { expect };

/** axe on the page as it is now: no serious or critical violation (listed by rule and element when there is one). */
export async function noSeriousViolations(page: Page): Promise<void> {
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
}

/** Signs in through the page's Token field with a fresh token for `userId` on entity 123. */
export async function signIn(page: Page, server: Server, userId = '1', token?: string): Promise<void> {
  token ??= await server.token(userId);
  await page.goto(`${server.url}/`);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Workflows' }).waitFor();
}
