/**
 * The README's walk-through works as written: its shell block runs against `workflow-core serve`
 * (started as `npm start` starts it, with no key configured) and every step answers as promised.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { type ServerProcess, startServerProcess } from './helpers/server-process.ts';

const ROOT = join(import.meta.dirname, '..');

function walkThrough(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## First calls'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the README has a shell walk-through');
  return block[1];
}

describe('README walk-through', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let env: Record<string, string>;

  before(async () => {
    database = await createTestDatabase();
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      JWT_SECRET: '',
      ...(database.schema ? { DATABASE_SCHEMA: database.schema } : {}),
    };
    server = await startServerProcess(env);
  });
  after(async () => {
    await server.stop();
    await database.cleanup();
  });

  it('creates, reads, validates, publishes, lists and runs a workflow with the commands as written', () => {
    const script = walkThrough().replaceAll('http://localhost:8070', server.url);
    const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(result.status, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /created workflow [0-9a-f-]{36}\n/);
    const answers = out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { success: boolean; message?: string; data: Record<string, unknown> });
    assert.equal(answers.length, 5, out);
    assert.ok(
      answers.every((a) => a.success),
      out,
    );
    const [got, validation, published, list, run] = answers;
    assert.equal(got.data.name, 'Greeter');
    assert.deepEqual(got.data.global_variables, { greeting: 'Hello' });
    assert.equal(validation.data.is_valid, true);
    assert.deepEqual(validation.data.warnings, [], 'the first example validates without a warning');
    assert.equal(published.data.status, 'active');
    assert.equal((list.data as unknown as unknown[]).length, 1);
    assert.equal(run.data.status, 'completed');
    const outbox = run.data.outbox as Array<{ payload: { message: string } }>;
    assert.equal(outbox[0].payload.message, 'Hello, alice!');
  });
});
