/**
 * @module app
 * The composition root: builds the store, services and transports from the configuration and
 * owns their start and orderly stop.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppContext, AppModule } from './app-module.ts';
import { createAuthenticator } from './auth/jwt.ts';
import type { Config } from './config.ts';
import { resolveCredentialsKeyring } from './credentials-key.ts';
import { buildFeatures, type ServeFeatures, type WorkerFeatures } from './features/index.ts';
import { route } from './http/route.ts';
import { credentialRoutes } from './http/routes/credentials.ts';
import { permissionRoutes } from './http/routes/permissions.ts';
import { reuseRoutes } from './http/routes/reuse.ts';
import { systemRoutes } from './http/routes/system.ts';
import { webRoutes } from './http/routes/web.ts';
import { workflowRoutes } from './http/routes/workflows.ts';
import { buildServer } from './http/server.ts';
import { resolveJwtSettings } from './jwt-secret.ts';
import { createLogger, mintHint } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { chooseMode } from './mode.ts';
import { createCredentialService } from './services/credentials.ts';
import { createExecutionService } from './services/executions.ts';
import { createLicenseValidator } from './services/licenses.ts';
import { createWorkflowLifecycle, type WorkflowLifecycle } from './services/workflow-lifecycle.ts';
import { createWorkflowTransfer } from './services/workflow-transfer.ts';
import { createWorkflowService, type WorkflowService } from './services/workflows.ts';
import { type DatabaseHandle, openDatabase } from './store/connect.ts';
import { migrateToLatest } from './store/migrate.ts';

export interface AppOptions {
  readonly logger?: Logger;
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  readonly databaseSchema?: string;
  /** Start the in-process workers and scheduler (serve); false for a pure API process in tests. */
  readonly background?: boolean;
  /**
   * Run execution workers here. Default: `background` without REDIS_URL; with it, the queue is
   * shared and workers run in `worker` processes (or here, when a test sets this).
   */
  readonly workers?: boolean;
  /** The `worker` command: execution workers only, no scheduler, webhooks, events or gRPC. */
  readonly workerOnly?: boolean;
}

export type { ServeFeatures, WorkerFeatures } from './features/index.ts';

/** An app; `App<ServeFeatures>` (what serve builds) names what its features export. */
export interface App<Features = unknown> {
  readonly config: Config;
  readonly logger: Logger;
  readonly http: FastifyInstance;
  readonly database: DatabaseHandle;
  readonly metrics: Metrics;
  readonly workflows: WorkflowService;
  readonly lifecycle: WorkflowLifecycle;
  readonly context: AppContext;
  readonly features: Features;
  /** Listens on the configured ports; answers the ports actually bound. */
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

export async function createApp(
  config: Config,
  options: AppOptions & { workerOnly: true },
): Promise<App<WorkerFeatures>>;
export async function createApp(
  config: Config,
  options?: AppOptions & { workerOnly?: false },
): Promise<App<ServeFeatures>>;
export async function createApp(
  config: Config,
  options: AppOptions = {},
): Promise<App<ServeFeatures | WorkerFeatures>> {
  const logger = options.logger ?? createLogger(config);
  const jwt = resolveJwtSettings(config, true);
  if (jwt.generated) {
    logger.warn(
      'No JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL set: using a generated secret in %s. Mint a token with: %s',
      config.dataDir,
      mintHint(config.dataDir),
    );
  }
  const authenticator = createAuthenticator(jwt.settings);
  const schema = options.databaseSchema ?? config.databaseSchema;
  const database = openDatabase(config.databaseUrl, { schema });
  try {
    await migrateToLatest(database.db, schema);
  } catch (error) {
    await database.close();
    throw error;
  }
  const metrics = createMetrics();
  const lifecycle = createWorkflowLifecycle();
  const licenses = createLicenseValidator({
    releaseMode: config.releaseMode,
    serverUrl: config.licenseServerUrl,
    publicKey: config.licensePublicKey,
  });
  const credentials = createCredentialService({ db: database.db, keyring: resolveCredentialsKeyring(config) });
  const workflows = createWorkflowService({
    db: database.db,
    licenses,
    lifecycle,
    maxLoopDepth: config.maxLoopDepth,
    maxConfigStringBytes: config.maxConfigStringBytes,
    credentialNames: credentials.names,
    maxScheduleNodes: config.maxScheduleNodes,
  });
  const background = options.workerOnly ? false : (options.background ?? true);
  const workers = options.workerOnly === true || (options.workers ?? (background && !config.redisUrl));
  const mode = chooseMode(config, logger);
  const { redis, events, cancels, runs } = mode;
  const executions = createExecutionService({
    config,
    logger,
    db: database.db,
    metrics,
    workflows,
    background,
    credentialsFor: (entityId, definition) => credentials.forRun(entityId, definition.nodes),
    events,
    cancels,
    runs,
  });
  const context: AppContext = {
    config,
    logger,
    database,
    metrics,
    authenticator,
    lifecycle,
    workflows,
    executions,
    redis,
    background,
    workers,
  };
  const { modules, features } = buildFeatures(context, executions, options.workerOnly === true);

  const http = await buildServer({
    logger,
    authenticator,
    metrics,
    bodyLimitBytes: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    corsOrigins: config.corsOrigins,
    publicBaseUrl: config.publicBaseUrl,
    responseAuditDir: config.responseAuditDir,
    resolvers: {
      workflow: (principal, id, needed) => workflows.authorize(principal, id, needed),
      execution: (principal, id, needed) => executions.authorizeExecution(principal, id, needed as 'can_view'),
      credential: (principal, id) => credentials.authorize(principal, id),
    },
    routes: [
      route(systemRoutes, {
        metrics,
        releaseMode: config.releaseMode,
        queueStatus: () => executions.queueStatus(),
        checks: [
          { name: 'database', check: () => database.ping() },
          ...(redis ? [{ name: 'redis', check: async () => void (await redis.ping()) }] : []),
          ...modules.flatMap((m) => m.checks ?? []),
        ],
      }),
      route(workflowRoutes, { workflows }),
      route(permissionRoutes, { workflows }),
      route(credentialRoutes, { credentials }),
      route(reuseRoutes, { transfer: createWorkflowTransfer({ db: database.db, workflows }), executions }),
      ...modules.flatMap((m) => m.routes ?? []),
      // Last: its catch-all page route only answers what no API route does.
      route(webRoutes, { root: config.webDir }),
    ],
  });
  // Values sealed under a previous key move to the current one (rotation), in the background.
  if (background) {
    credentials
      .reseal()
      .then((count) => count > 0 && logger.info({ count }, 're-encrypted credential values under the current key'))
      .catch((error: unknown) => logger.warn({ err: error }, 're-encrypting credentials failed'));
  }
  const started: AppModule[] = [];
  try {
    for (const module of modules) {
      await module.start?.();
      started.push(module);
    }
  } catch (error) {
    for (const module of started.reverse()) await module.stop?.().catch(() => {});
    await http.close();
    await mode.close(true);
    await database.close();
    throw error;
  }

  let closed = false;
  return {
    config,
    logger,
    http,
    database,
    metrics,
    workflows,
    lifecycle,
    context,
    features,
    async listen() {
      await http.listen({ port: config.port, host: config.host });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      logger.info({ port }, `HTTP listening on ${config.host}:${port}`);
      return { port };
    },
    async close() {
      if (closed) return;
      closed = true;
      // Stop taking requests, then end the long ones (waits, event streams) so draining is quick;
      // keep-alive connections that fall idle meanwhile are closed too, not left for their timeout.
      const drained = http.close();
      executions.interruptWatchers();
      const sweep = setInterval(() => http.server.closeIdleConnections(), 50);
      await drained.finally(() => clearInterval(sweep));
      for (const module of [...modules].reverse()) {
        await module
          .stop?.()
          .catch((error: unknown) => logger.error({ err: error, module: module.name }, 'stop failed'));
      }
      await mode.close();
      await database.close();
    },
  };
}
