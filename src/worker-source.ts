/**
 * @module worker-source
 * Where a worker's code is: the compiled file in a build, else a bundle of the TypeScript sources
 * made (and cached) on first use. Shared by the expression worker processes and the SQLite worker
 * thread; it is about build and source layout, not about what the workers do.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WorkerSource {
  /** The worker's entry, relative to src/ (`expressions/expression-worker.ts`). */
  readonly entry: string;
  /** The folders of src/ the worker is made of: their files' sizes and times key the cached bundle. */
  readonly folders: readonly string[];
  /**
   * Packages left out of the bundle and loaded from this checkout's node_modules (a native addon
   * such as better-sqlite3 cannot be bundled).
   */
  readonly external?: readonly string[];
}

/**
 * The compiled worker; in a source checkout (tests, `npm start`) the TypeScript worker bundled with
 * esbuild (a dev dependency there), because loading tsx in every worker costs a second or more of
 * start-up (and Node 20 worker threads do not take tsx's loader). The bundle is cached in
 * node_modules/.cache under a key of the sources' sizes and times, so the many processes of a test
 * run build it once.
 */
export function workerSourceEntry(source: WorkerSource): string {
  const src = new URL('.', import.meta.url);
  if (import.meta.url.endsWith('.js')) return fileURLToPath(new URL(source.entry.replace(/\.ts$/, '.js'), src));
  const srcDir = fileURLToPath(src);
  const require = createRequire(import.meta.url);
  const key = createHash('sha256').update(`${srcDir}:${source.entry};`);
  for (const dir of source.folders) {
    for (const name of readdirSync(join(srcDir, dir)).sort()) {
      const stat = statSync(join(srcDir, dir, name));
      key.update(`${dir}/${name}:${stat.size}:${stat.mtimeMs};`);
    }
  }
  // Dependency versions change with the lock file.
  const lock = statSync(join(srcDir, '..', 'package-lock.json'));
  key.update(`lock:${lock.size}:${lock.mtimeMs}`);
  const name = source.entry.replace(/^.*\//, '').replace(/\.ts$/, '');
  // With external packages, in this checkout's node_modules, where they resolve; without, in the
  // temporary folder (a read-only node_modules must not stop the expression workers).
  const cache = source.external?.length
    ? join(srcDir, '..', 'node_modules', '.cache', 'workflow-core')
    : join(tmpdir(), 'workflow-core-workers');
  mkdirSync(cache, { recursive: true });
  const outfile = join(cache, `${name}-${key.digest('hex').slice(0, 16)}.mjs`);
  if (existsSync(outfile)) return outfile;
  const esbuild = require('esbuild') as typeof import('esbuild');
  const partial = `${outfile}.${process.pid}.tmp`;
  esbuild.buildSync({
    entryPoints: [join(srcDir, source.entry)],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    external: source.external ? [...source.external] : [],
    // CommonJS packages (jsonata) in the ESM bundle get a real require.
    banner: {
      js: "import { createRequire as __wfcRequire } from 'node:module'; const require = __wfcRequire(import.meta.url);",
    },
  });
  renameSync(partial, outfile);
  return outfile;
}
