/**
 * The CLI as a user runs it: `serve` with no key configured creates a private secret and says how
 * to mint a token; `token` mints one that the server accepts; SIGTERM exits 0; a bad variable stops
 * the process with one line naming it.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 30_000);
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const match = /"port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
}

describe('workflow-core CLI', () => {
  let database: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;

  before(async () => {
    database = await createTestDatabase('sqlite');
    dataDir = mkdtempSync(join(tmpdir(), 'wfc-cli-'));
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      PORT: '0',
      GRPC_PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: '',
    };
  });
  after(async () => {
    await database.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves with a generated secret, mints a working token and stops cleanly on SIGTERM', async () => {
    const server = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    server.stdout?.on('data', (chunk) => {
      log += chunk;
    });
    try {
      const port = await waitForPort(server);
      // DATA_DIR is not the default: the hint says it, or the token it mints would get 401.
      const hint = /Mint a token with: (DATA_DIR=(\S+) npx workflow-core token [^"]*)/.exec(log);
      assert.ok(hint, log);
      assert.equal(hint[2], dataDir);
      const mode = statSync(join(dataDir, 'jwt-secret')).mode & 0o777;
      assert.equal(mode, 0o600);

      const minted = cli(['token', '--user-id', '42', '--entities', '123', '--ttl', '10m'], env);
      assert.equal(minted.status, 0, minted.stderr);
      const token = minted.stdout.trim();
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);

      const created = await fetch(`http://127.0.0.1:${port}/api/v1/workflows`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'From the CLI', entity_id: 123, nodes: {}, connections: [] }),
      });
      assert.equal(created.status, 201);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      assert.equal(health.status, 200);

      // --link: a sign-in link for the web app, the token in the fragment (never sent to the server).
      const linked = cli(['token', '--link', '--user-id', '42', '--entities', '123'], {
        ...env,
        PUBLIC_BASE_URL: 'http://localhost:8070',
      });
      assert.equal(linked.status, 0, linked.stderr);
      const link = /^http:\/\/localhost:8070\/#token=([\w-]+\.[\w-]+\.[\w-]+)\n$/.exec(linked.stdout);
      assert.ok(link, linked.stdout);
      const listed = await fetch(`http://127.0.0.1:${port}/api/v1/workflows?entity_id=123`, {
        headers: { authorization: `Bearer ${link[1]}` },
      });
      assert.equal(listed.status, 200);
    } finally {
      const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
      server.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });

  it('token --ttl with a bad duration says so in one line', () => {
    const result = cli(['token', '--user-id', '42', '--ttl', 'forever'], env);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.trim(), "workflow-core: --ttl: 'forever' is not a duration (e.g. 30m, 1h, 7d)");
  });

  it('stops with one line naming a bad variable', () => {
    const result = cli(['migrate'], { ...env, DATABASE_URL: 'mysql://nope' });
    assert.equal(result.status, 1);
    assert.match(result.stderr.trim(), /^workflow-core: DATABASE_URL: /);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    const port = cli(['migrate'], { ...env, PORT: 'eighty' });
    assert.match(port.stderr, /PORT: expected a whole number/);
  });

  it('migrate applies migrations once', () => {
    const fresh = join(dataDir, 'migrate.db');
    const first = cli(['migrate'], { ...env, DATABASE_URL: `sqlite:${fresh}` });
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /applied: /);
    const second = cli(['migrate'], { ...env, DATABASE_URL: `sqlite:${fresh}` });
    assert.match(second.stdout, /up to date/);
  });
});
