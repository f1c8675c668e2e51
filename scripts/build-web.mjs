#!/usr/bin/env node
// Builds the web app (web/ → dist/web) when the build is missing or older than its sources.
// Runs on install (prepare) and before `npm start`; `--force` always builds. An install without
// dev dependencies (no Vite) keeps whatever build is there and says so.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const stamp = join(root, 'dist', 'web', '.built');
const sources = [join(root, 'web'), join(root, 'package-lock.json'), join(root, 'src', 'core', 'workflow.ts')];

function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'e2e') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const force = process.argv.includes('--force');
const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (!force && built >= Math.max(...sources.map(newest))) process.exit(0);

let vite;
try {
  const manifest = createRequire(join(root, 'package.json')).resolve('vite/package.json');
  vite = join(manifest, '..', 'bin', 'vite.js');
} catch {
  console.warn(
    existsSync(join(root, 'dist', 'web', 'index.html'))
      ? 'web: Vite is not installed (no dev dependencies); keeping the existing build in dist/web'
      : 'web: Vite is not installed (no dev dependencies); the web app is not built',
  );
  process.exit(0);
}
console.log('web: building dist/web');
const result = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'web', 'vite.config.ts')], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
