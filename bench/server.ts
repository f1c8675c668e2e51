/**
 * @module bench/server
 * Starts `workflow-core serve` as a child process on a fresh SQLite file (as a user would run it)
 * so the load generator does not share the server's event loop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '../src/http/auth.ts';

export interface BenchServer {
  readonly url: string;
  readonly secret: string;
  readonly child: ChildProcess;
  token(userId: string, extra?: { entities?: number[]; scope?: string }): Promise<string>;
  stop(): Promise<void>;
}

export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wfc-bench-'));
  const secret = randomBytes(32).toString('hex');
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'src', 'main.ts'), 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dataDir, 'bench.db')}`,
      DATA_DIR: dataDir,
      JWT_SECRET: secret,
      PORT: '0',
      GRPC_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const match = /"port":(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`bench server exited ${code}: ${output}`)));
  });
  child.stdout?.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    secret,
    child,
    token: (userId, extra = {}) => mintToken(secret, { userId, ttl: '2h', ...extra }),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
