/**
 * @module test/helpers/server-process
 * `workflow-core serve` as a child process, the way a user runs it: for crash tests (kill -9 and
 * start again) and for benchmarks (the load generator must not share the server's event loop).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestDatabase } from './database.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'main.ts');

export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Output so far, for failure messages. */
  output(): string;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The environment of a `serve` process on `database`, signing tokens with `secret`. */
export function serverEnv(
  database: TestDatabase,
  secret: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    DATA_DIR: database.dataDir,
    JWT_SECRET: secret,
    ...extra,
    ...(database.schema ? { DATABASE_SCHEMA: database.schema } : {}),
  };
}

export async function startServerProcess(env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', MAIN, 'serve'], {
    env: { ...process.env, PORT: '0', GRPC_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /"port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
