/**
 * @module expressions/worker-bundle
 * Where the expression worker's code is: the compiled file in a build, else a bundle of the
 * TypeScript sources made (and cached) on first use. Apart from expression-pool.ts because it is
 * about build and source layout, not about running tasks.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The compiled worker; in a source checkout (tests, `npm start`) the TypeScript worker bundled with
 * esbuild (a dev dependency there), because loading tsx in every worker costs a second or more of
 * start-up. The bundle is cached in the temp folder under a key of the sources' sizes and times,
 * so the many processes of a test run build it once.
 */
export function workerEntry(): string {
  const own = new URL(import.meta.url);
  if (own.pathname.endsWith('.js')) return fileURLToPath(new URL('./expression-worker.js', own));
  const src = fileURLToPath(new URL('..', own));
  const require = createRequire(import.meta.url);
  const key = createHash('sha256');
  for (const dir of ['core', 'expressions']) {
    for (const name of readdirSync(join(src, dir)).sort()) {
      const stat = statSync(join(src, dir, name));
      key.update(`${dir}/${name}:${stat.size}:${stat.mtimeMs};`);
    }
  }
  // Dependency versions (jsonata, re2js) change with the lock file.
  const lock = statSync(join(src, '..', 'package-lock.json'));
  key.update(`lock:${lock.size}:${lock.mtimeMs}`);
  const outfile = join(tmpdir(), `wfc-expression-worker-${key.digest('hex').slice(0, 16)}.mjs`);
  if (existsSync(outfile)) return outfile;
  const esbuild = require('esbuild') as typeof import('esbuild');
  const partial = `${outfile}.${process.pid}.tmp`;
  esbuild.buildSync({
    entryPoints: [join(src, 'expressions', 'expression-worker.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    // jsonata is CommonJS; the ESM bundle gives its require a real one.
    banner: {
      js: "import { createRequire as __wfcRequire } from 'node:module'; const require = __wfcRequire(import.meta.url);",
    },
  });
  renameSync(partial, outfile);
  return outfile;
}
