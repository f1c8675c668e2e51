/**
 * @module logger
 * The process's logger (pino), with credentials redacted from every line; and the hint a server
 * with a generated JWT secret logs at start, naming the command that mints a token for it.
 */
import pino, { type Logger } from 'pino';
import { type Config, DEFAULT_DATA_DIR } from './config.ts';

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.secret', '*.token'], remove: true },
  });
}

/** The command that mints a token for this server: it must find the same secret (DATA_DIR). */
export function mintHint(dataDir: string): string {
  const command = 'npx workflow-core token --user-id 1 --entities 123';
  if (dataDir === DEFAULT_DATA_DIR) return command;
  const quoted = /^[\w./:-]+$/.test(dataDir) ? dataDir : `'${dataDir.replaceAll("'", "'\\''")}'`;
  return `DATA_DIR=${quoted} ${command}`;
}
