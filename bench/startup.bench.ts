/**
 * @module bench/startup
 * Start time of `serve`, from spawn to its "HTTP listening" line, the production way
 * (`npm run build && node dist/main.js serve`) against the development way (`npm start`, tsx
 * compiling the TypeScript on the fly), in alternating rounds on fresh SQLite files.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInto } from '../test/helpers/build.ts';
import { compiledEntry, startServerProcess } from '../test/helpers/server-process.ts';

export interface StartupResult {
  readonly name: string;
  readonly compiled_ms: readonly number[];
  readonly tsx_ms: readonly number[];
  readonly compiled_median_ms: number;
  readonly tsx_median_ms: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeStart(entry?: readonly string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'wfc-bench-startup-'));
  const started = performance.now();
  const server = await startServerProcess(
    { DATABASE_URL: `sqlite:${join(dir, 's.db')}`, DATA_DIR: dir, JWT_SECRET: randomBytes(32).toString('hex') },
    [],
    ...(entry ? [entry] : []),
  );
  const ms = performance.now() - started;
  await server.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
  return Math.round(ms);
}

export async function benchStartup(rounds = 5): Promise<StartupResult> {
  const entry = compiledEntry(buildInto('dist-bench'));
  const compiled: number[] = [];
  const tsx: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      compiled.push(await timeStart(entry));
      tsx.push(await timeStart());
    } else {
      tsx.push(await timeStart());
      compiled.push(await timeStart(entry));
    }
  }
  return {
    name: 'serve start, spawn → listening (SQLite)',
    compiled_ms: compiled,
    tsx_ms: tsx,
    compiled_median_ms: median(compiled),
    tsx_median_ms: median(tsx),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchStartup(), null, 2));
}
