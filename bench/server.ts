/**
 * @module bench/server
 * `workflow-core serve` in its own process on a fresh SQLite file (as a user would run it), so
 * the load generator does not share the server's event loop.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '../src/auth/jwt.ts';
import { compiledEntry, startServerProcess } from '../test/helpers/server-process.ts';

export interface BenchServer {
  readonly url: string;
  readonly port: number;
  token(userId: string, extra?: { entities?: number[]; scope?: string }): Promise<string>;
  stop(): Promise<void>;
}

/** `dist`: run that compiled build (`node dist/main.js serve`, the production start) instead of tsx. */
export async function startBenchServer(env: Record<string, string> = {}, dist?: string): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wfc-bench-'));
  const secret = randomBytes(32).toString('hex');
  const server = await startServerProcess(
    {
      DATABASE_URL: `sqlite:${join(dataDir, 'bench.db')}`,
      DATA_DIR: dataDir,
      JWT_SECRET: secret,
      // A bench run stores more than the default 10,000 runs of its one workflow; pruning them
      // meanwhile would make accepted executions look lost.
      EXECUTION_RETENTION_PER_WORKFLOW: '100000000',
      ...env,
    },
    // BENCH_PROFILE_DIR=dir writes a CPU profile of the server for each run (open it in Chrome DevTools).
    process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [],
    ...(dist ? [compiledEntry(dist)] : []),
  ).catch((error) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: server.url,
    port: server.port,
    token: (userId, extra = {}) => mintToken(secret, { userId, ttl: '2h', ...extra }),
    async stop() {
      await server.stop('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
