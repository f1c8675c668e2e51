/**
 * @module test/helpers/app
 * A whole app on its own database with a random JWT secret, for fastify.inject or a listening
 * server, plus token minting for every kind of caller.
 */
import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { type App, createApp, type ServeFeatures } from '../../src/app.ts';
import { type MintOptions, mintToken } from '../../src/auth/jwt.ts';
import { loadConfig } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { ENTITY_ID } from './fixtures.ts';

export interface TestApp {
  readonly app: App<ServeFeatures>;
  readonly database: TestDatabase;
  readonly secret: string;
  /**
   * Without `entities`, the caller is a member of the fixtures' ENTITY_ID (creating a workflow
   * needs membership); pass `entities: []` for a caller in no entity.
   */
  token(options: Partial<MintOptions> & { userId: string }): Promise<string>;
  request(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse & { body: string }>;
  close(): Promise<void>;
}

/** The settings of an in-process app on `database`: silent, on random ports of 127.0.0.1. */
export function testAppEnv(database: TestDatabase, secret: string): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    DATA_DIR: database.dataDir,
    JWT_SECRET: secret,
    LOG_LEVEL: 'silent',
    PORT: '0',
    GRPC_PORT: '0',
    HOST: '127.0.0.1',
    // The test runner's response audit (src/http/response-audit.ts) covers in-process apps too.
    ...(process.env.RESPONSE_AUDIT_DIR ? { RESPONSE_AUDIT_DIR: process.env.RESPONSE_AUDIT_DIR } : {}),
  };
}

export async function createTestApp(
  env: Record<string, string> = {},
  setup: {
    readonly logger?: Logger;
    readonly database?: TestDatabase;
    /** false: no in-process workers or scheduler, a pure API process (see AppOptions.background). */
    readonly background?: boolean;
  } = {},
): Promise<TestApp> {
  const database = setup.database ?? (await createTestDatabase());
  const secret = randomBytes(32).toString('hex');
  const config = loadConfig({ ...testAppEnv(database, secret), SHUTDOWN_GRACE_MS: '200', ...env });
  let app: App<ServeFeatures>;
  try {
    app = await createApp(config, {
      databaseSchema: database.schema,
      background: setup.background ?? true,
      logger: setup.logger,
    });
  } catch (error) {
    if (!setup.database) await database.cleanup();
    throw error;
  }
  return {
    app,
    database,
    secret,
    token: (options) => mintToken(secret, { entities: [ENTITY_ID], ...options }),
    async request({ token, headers, ...options }) {
      return app.http.inject({
        ...options,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      });
    },
    async close() {
      await app.close();
      // A database the caller handed in outlives this app (the caller cleans it up).
      if (!setup.database) await database.cleanup();
    },
  };
}

/** The parsed JSON body of an injected response. */
export function json<T = Record<string, unknown>>(response: { body: string }): T {
  return JSON.parse(response.body) as T;
}
