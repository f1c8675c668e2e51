#!/usr/bin/env node
// npm test: unit tests once, then the integration suite on SQLite and on PostgreSQL.
// Usage: node scripts/test.mjs [--only sqlite|postgres|unit] [files...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === 'node_modules') continue;
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (entry.endsWith('.test.ts')) found.push(path);
  }
  return found.sort();
}

const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args.splice(onlyIndex, 2)[1] : undefined;
const picked = args.length ? args : undefined;

const unit = picked?.filter((f) => f.startsWith('src')) ?? findTests('src');
const integration = picked?.filter((f) => f.startsWith('test')) ?? findTests('test');

const passes = [
  { name: 'unit', files: unit, env: {} },
  { name: 'sqlite', files: integration, env: { TEST_DATABASE: 'sqlite' } },
  { name: 'postgres', files: integration, env: { TEST_DATABASE: 'postgres' } },
].filter((pass) => pass.files.length > 0 && (!only || only === pass.name));

let failed = false;
for (const pass of passes) {
  console.log(`\n# ${pass.name}: ${pass.files.length} test files`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=3', '--test-reporter=spec', ...pass.files],
    { stdio: 'inherit', env: { ...process.env, ...pass.env } },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
