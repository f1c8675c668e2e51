#!/usr/bin/env node
// npm test: unit tests once, then the integration suite on SQLite and on PostgreSQL, then the web
// app's unit tests (Vitest) and its browser tests (Playwright + the system's Chromium, against a
// real serve on a fresh SQLite database), then the compiled build once. Each integration pass is
// followed by the response audit's check: every route and status the pass was answered with is in
// the OpenAPI document.
// Files named *.postgres.test.ts (several processes on one database) run in the PostgreSQL pass only;
// *.build.test.ts (the compiled build, the production start) run once, in a pass of their own.
// Usage: node scripts/test.mjs [--only sqlite|postgres|unit|web|e2e|build] [files...]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findTests(dir, suffix = '.test.ts') {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === 'node_modules') continue;
    if (statSync(path).isDirectory()) found.push(...findTests(path, suffix));
    else if (entry.endsWith(suffix) || (suffix === '.test.ts' && entry.endsWith('.test.tsx'))) found.push(path);
  }
  return found.sort();
}

const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args.splice(onlyIndex, 2)[1] : undefined;
const picked = args.length ? args : undefined;

const unit = picked?.filter((f) => f.startsWith('src')) ?? findTests('src');
const integration = picked?.filter((f) => f.startsWith('test')) ?? findTests('test');
const webUnit = picked?.filter((f) => f.startsWith('web/src')) ?? findTests(join('web', 'src'));
const e2e = picked?.filter((f) => f.startsWith('web/e2e')) ?? findTests(join('web', 'e2e'), '.spec.ts');

/** One test's limit, and a whole pass's: a hang must fail CI in minutes, not hold it for an hour. */
const TEST_TIMEOUT_MS = 300_000;
const PASS_TIMEOUT_MS = Number(process.env.TEST_PASS_TIMEOUT_MS ?? 15 * 60_000);

/**
 * Runs a pass in a process group of its own, so a pass that overruns is killed with everything it
 * started (servers, workers, browsers); resolves with its exit code.
 */
function runPass(command, commandArgs, env, name) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', env, detached: true });
    const timer = setTimeout(() => {
      console.error(`\n# ${name}: still running after ${PASS_TIMEOUT_MS / 60_000} min; killed`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, PASS_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // Whatever the pass left behind goes with it.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      resolve(signal ? 1 : code);
    });
  });
}

const nodeTest = (files) => [
  process.execPath,
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=3',
  // A test that never settles fails after this, and a file whose handles keep it alive exits.
  `--test-timeout=${TEST_TIMEOUT_MS}`,
  '--test-force-exit',
  '--test-reporter=spec',
  ...files,
];
const bin = (name) => join('node_modules', '.bin', name);

const isBuild = (f) => f.endsWith('.build.test.ts');
const isPostgresOnly = (f) => f.endsWith('.postgres.test.ts');
const passes = [
  { name: 'unit', files: unit, env: {}, command: nodeTest },
  {
    name: 'sqlite',
    files: integration.filter((f) => !isBuild(f) && !isPostgresOnly(f)),
    env: { TEST_DATABASE: 'sqlite' },
    command: nodeTest,
    audit: true,
  },
  {
    name: 'postgres',
    files: integration.filter((f) => !isBuild(f)),
    env: { TEST_DATABASE: 'postgres' },
    command: nodeTest,
    audit: true,
  },
  {
    name: 'web',
    files: webUnit,
    env: {},
    command: (files) => [bin('vitest'), 'run', '--config', 'web/vite.config.ts', ...files.map((f) => f.slice(4))],
  },
  {
    name: 'e2e',
    files: e2e,
    env: {},
    before: () => spawnSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' }).status === 0,
    command: (files) => [bin('playwright'), 'test', '--config', 'web/playwright.config.ts', ...files],
  },
  { name: 'build', files: integration.filter(isBuild), env: {}, command: nodeTest },
].filter((pass) => pass.files.length > 0 && (!only || only === pass.name));

let failed = false;
for (const pass of passes) {
  console.log(`\n# ${pass.name}: ${pass.files.length} test files`);
  if (pass.before && !pass.before()) {
    failed = true;
    continue;
  }
  const auditDir = pass.audit ? mkdtempSync(join(tmpdir(), `wfc-audit-${pass.name}-`)) : undefined;
  const env = { ...process.env, ...pass.env, ...(auditDir ? { RESPONSE_AUDIT_DIR: auditDir } : {}) };
  const [command, ...commandArgs] = pass.command(pass.files);
  if ((await runPass(command, commandArgs, env, pass.name)) !== 0) failed = true;
  if (auditDir) {
    console.log(`\n# ${pass.name}: answered routes and statuses against the OpenAPI document`);
    const [check, ...checkArgs] = nodeTest(['test/openapi-coverage.check.ts']);
    if (spawnSync(check, checkArgs, { stdio: 'inherit', env }).status !== 0) failed = true;
    rmSync(auditDir, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
