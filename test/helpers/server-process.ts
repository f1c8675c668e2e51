/**
 * @module test/helpers/server-process
 * `workflow-core serve` and `worker` as child processes, the way a user runs them: for crash tests
 * (kill -9 and start again) and for benchmarks (the load generator must not share the server's
 * event loop).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestDatabase } from './database.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'main.ts');
/** How the CLI is started: the TypeScript source through tsx (as `npm start` does). */
const SOURCE_ENTRY: readonly string[] = ['--import', 'tsx', MAIN];
const START_TIMEOUT_MS = 120_000;

/** The compiled CLI of `npm run build` in `distDir` (the production start, `node dist/main.js`). */
export function compiledEntry(distDir: string): readonly string[] {
  return [join(distDir, 'main.js')];
}

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

export interface WorkerProcess {
  readonly child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs a CLI command and resolves once `ready` reads a value off its output (stdout and stderr);
 * rejects if it exits first or takes over two minutes (a loaded machine starts tsx slowly).
 */
async function startProcess<T>(
  command: 'serve' | 'worker',
  env: Record<string, string>,
  nodeArgs: string[],
  ready: (output: string) => T | undefined,
  entry: readonly string[] = SOURCE_ENTRY,
): Promise<WorkerProcess & { readonly ready: T }> {
  const child = spawn(process.execPath, [...nodeArgs, ...entry, command], {
    env: { ...process.env, PORT: '0', GRPC_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const value = await new Promise<T>((resolve, reject) => {
    // A child left running would keep the test process (and so CI) alive forever.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not start: ${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const found = ready(output);
      if (found !== undefined) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited ${code}: ${output}`));
    });
  });
  return {
    child,
    ready: value,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

export async function startServerProcess(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  entry: readonly string[] = SOURCE_ENTRY,
): Promise<ServerProcess> {
  const started = await startProcess(
    'serve',
    env,
    nodeArgs,
    (output) => {
      const match = /"port":(\d+)/.exec(output);
      return match ? Number(match[1]) : undefined;
    },
    entry,
  );
  return { ...started, url: `http://127.0.0.1:${started.ready}`, port: started.ready };
}

/** `workflow-core worker`, resolved once it says it runs. */
export async function startWorkerProcess(
  env: Record<string, string>,
  entry: readonly string[] = SOURCE_ENTRY,
): Promise<WorkerProcess> {
  return startProcess(
    'worker',
    env,
    [],
    (output) => (output.includes('execution worker running') ? true : undefined),
    entry,
  );
}
