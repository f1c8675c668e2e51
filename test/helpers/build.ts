/**
 * @module test/helpers/build
 * `npm run build` into a folder of the repository's own (under .tmp/, ignored by git), so the
 * compiled CLI resolves node_modules and proto/ as it does in dist/, without touching dist/.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Compiles src/ with tsconfig.build.json into `.tmp/<name>`; answers that folder. */
export function buildInto(name: string): string {
  const outDir = join(ROOT, '.tmp', name);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`build failed: ${result.stdout}${result.stderr}`);
  return outDir;
}
