/**
 * @module main
 * The `workflow-core` CLI: serve | worker | migrate | token.
 */
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { type App, createApp } from './app.ts';
import { mintToken } from './auth/jwt.ts';
import { loadConfig } from './config.ts';
import { ConfigError } from './env-readers.ts';
import { resolveJwtSettings } from './jwt-secret.ts';
import { createLogger } from './logger.ts';
import { openDatabase } from './store/connect.ts';
import { migrateToLatest } from './store/migrate.ts';

const USAGE = `usage: workflow-core <command>
  serve                      REST on PORT (8070) and gRPC on GRPC_PORT (50070), scheduler, and
                             the execution workers unless REDIS_URL is set
  worker                     execution workers only (needs REDIS_URL and a shared database)
  migrate                    apply database migrations
  token --user-id ID [--username NAME] [--roles a,b] [--entities 1,2] [--scope S] [--ttl 1h] [--link]
                             print a JWT signed with the configured key (--link: as a
                             sign-in link to the web app)`;

async function serve(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const app = await createApp(config, { logger, background: true });
  await app.listen();
  stopOnSignals(app, logger);
}

/** Runs executions taken from the Redis queue, until SIGTERM or SIGINT; listens on no port. */
async function worker(): Promise<void> {
  const config = loadConfig();
  if (!config.redisUrl) {
    throw new ConfigError('REDIS_URL', 'the worker command needs REDIS_URL (and the database serve uses)');
  }
  const logger = createLogger(config);
  const app = await createApp(config, { logger, workerOnly: true });
  logger.info({ concurrency: config.executionConcurrency }, 'execution worker running');
  stopOnSignals(app, logger);
}

function stopOnSignals(app: App, logger: Logger): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

async function migrate(): Promise<void> {
  const config = loadConfig();
  const database = openDatabase(config.databaseUrl, { schema: config.databaseSchema });
  try {
    const applied = await migrateToLatest(database.db, config.databaseSchema);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await database.close();
  }
}

async function token(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'user-id': { type: 'string' },
      username: { type: 'string' },
      roles: { type: 'string' },
      entities: { type: 'string' },
      scope: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
      link: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values['user-id']) throw new ConfigError('--user-id', 'is required');
  const config = loadConfig();
  const { settings } = resolveJwtSettings(config, true);
  if (!settings.secret) {
    throw new ConfigError(
      'JWT_SECRET',
      'tokens can only be minted with an HS256 secret (JWT_SECRET or the generated one)',
    );
  }
  const list = (value: string | undefined) =>
    value
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : [];
  const entities = list(values.entities).map((e) => (/^\d+$/.test(e) ? Number(e) : e));
  const minted = await mintToken(settings.secret, {
    userId: values['user-id'],
    username: values.username,
    roles: list(values.roles),
    entities,
    scope: values.scope,
    ttl: values.ttl,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
  }).catch((error: unknown) => {
    // jose's own message comes with its stack; a mistyped --ttl deserves one line.
    if (error instanceof TypeError && /time period/i.test(error.message)) {
      throw new ConfigError('--ttl', `'${values.ttl}' is not a duration (e.g. 30m, 1h, 7d)`);
    }
    throw error;
  });
  // The fragment never reaches the server (nor its logs); the web app signs in from it.
  console.log(values.link ? `${config.publicBaseUrl}/#token=${minted}` : minted);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve();
    case 'worker':
      return worker();
    case 'migrate':
      return migrate();
    case 'token':
      return token(rest);
    default:
      console.error(USAGE);
      process.exitCode = command ? 2 : 0;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`workflow-core: ${(error as Error).message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
