/**
 * @module config
 * Environment → typed, validated configuration (names of PRODUCT.md §1). Read once at start and
 * passed down; nothing else reads process.env. A bad value stops the process with one line
 * naming the variable.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ConfigError, type Env, flag, integer, keyList, text, url } from './env-readers.ts';

/** Where the generated JWT secret (and the default SQLite file) live. */
export const DEFAULT_DATA_DIR = './data';

export type TrustProxy = boolean | readonly string[];

export interface Config {
  readonly port: number;
  readonly grpcPort: number;
  readonly host: string;
  readonly databaseUrl: string;
  /** PostgreSQL schema for every table (default: the server's search_path, normally public). */
  readonly databaseSchema: string | undefined;
  readonly redisUrl: string | undefined;
  /** Prefix of the execution queue's Redis keys and channel: deployments sharing a Redis set their own. */
  readonly queuePrefix: string;
  readonly jwt: {
    readonly secret: string | undefined;
    readonly publicKey: string | undefined;
    readonly jwksUrl: string | undefined;
    readonly issuer: string | undefined;
    readonly audience: string | undefined;
  };
  readonly publicBaseUrl: string;
  readonly releaseMode: boolean;
  readonly licenseServerUrl: string | undefined;
  readonly licensePublicKey: string | undefined;
  readonly routerUrl: string | undefined;
  readonly workflowTimeoutSeconds: number;
  readonly maxLoopIterations: number;
  readonly maxTotalOperations: number;
  readonly maxLoopDepth: number;
  readonly maxParallelNodes: number;
  readonly executionConcurrency: number;
  /** JSONata: one time budget per node run, worker threads, their heap cap, result and sequence caps. */
  readonly expressionTimeoutMs: number;
  readonly expressionWorkers: number;
  readonly expressionMemoryMb: number;
  readonly expressionResultLimitBytes: number;
  readonly expressionSequenceLimit: number;
  /** Longest string (UTF-8 bytes) a node config may hold: validation names the field. */
  readonly maxConfigStringBytes: number;
  /** Running executions of one entity in one process; the rest wait `queued`, in order. */
  readonly entityConcurrency: number;
  /** Largest serialized `variables` of one execute or test request (REST and gRPC). */
  readonly variablesLimitBytes: number;
  /** `trigger_schedule` nodes one workflow may hold. */
  readonly maxScheduleNodes: number;
  /** Failed signature checks per webhook per minute; past it the trigger answers 429 before any HMAC. */
  readonly webhookSignatureFailures: number;
  /** Live watchers (SSE, gRPC) of one execution, and of one caller across executions. */
  readonly maxWatchersPerExecution: number;
  readonly maxWatchersPerCaller: number;
  /** Unsent stream bytes a watcher may fall behind before it gets `lagged` and is closed. */
  readonly streamLagLimitBytes: number;
  /** REDIS_URL: how long a worker's claim on a run lasts unrenewed before another may take it over. */
  readonly executionLeaseMs: number;
  /** REDIS_URL, `serve` without workers: jobs waiting this long with no worker seen log a warning. */
  readonly workerAbsentWarnSeconds: number;
  readonly trustProxy: TrustProxy;
  readonly allowPrivateNetwork: boolean;
  readonly corsOrigins: readonly string[] | undefined;
  readonly logLevel: string;
  readonly bodyLimitBytes: number;
  readonly dataDir: string;
  /** The built web app served at `/` (default: dist/web of the package). */
  readonly webDir: string | undefined;
  /** How long running executions get to finish on shutdown before they are left to resume. */
  readonly shutdownGraceMs: number;
  /** CREDENTIALS_KEY (32 bytes); unset: a key generated in the data folder. */
  readonly credentialsKey: Buffer | undefined;
  /** CREDENTIALS_PREVIOUS_KEYS: keys values may still be encrypted under (rotation). */
  readonly credentialsPreviousKeys: readonly Buffer[];
  readonly maxWorkflowDepth: number;
  readonly executionRetentionDays: number;
  readonly executionRetentionPerWorkflow: number;
  /** How often the retention job runs, and how many rows one batch deletes. */
  readonly retentionIntervalMs: number;
  readonly retentionBatchSize: number;
  /** Test support: where answered routes and statuses are recorded (see http/response-audit.ts). */
  readonly responseAuditDir: string | undefined;
}

function trustProxy(env: Env): TrustProxy {
  const raw = text(env, 'TRUST_PROXY');
  if (raw === undefined || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') return true;
  const ranges = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const range of ranges) {
    const ok = range.includes('/') ? ipaddr.isValidCIDR(range) : isIP(range) !== 0;
    if (!ok)
      throw new ConfigError('TRUST_PROXY', `expected true, false or a CIDR list; "${range}" is not an address or CIDR`);
  }
  return ranges;
}

function databaseUrl(env: Env): string {
  const raw = text(env, 'DATABASE_URL') ?? 'sqlite:./data/workflow-core.db';
  if (raw.startsWith('sqlite:') || raw.startsWith('postgres://') || raw.startsWith('postgresql://')) return raw;
  throw new ConfigError('DATABASE_URL', `expected sqlite:PATH or postgres://…, got "${raw.split(':')[0]}:…"`);
}

function queuePrefix(env: Env): string {
  const raw = text(env, 'QUEUE_PREFIX') ?? 'wfc';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw))
    throw new ConfigError('QUEUE_PREFIX', `expected letters, digits, "_", "." or "-" (at most 64), got "${raw}"`);
  return raw;
}

function schemaName(env: Env): string | undefined {
  const raw = text(env, 'DATABASE_SCHEMA');
  if (raw === undefined) return undefined;
  // Interpolated into the connection's search_path, so only plain identifiers.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw))
    throw new ConfigError('DATABASE_SCHEMA', `expected a lower-case identifier, got "${raw}"`);
  return raw;
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8070, 0, 65535);
  const logLevel = text(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      'LOG_LEVEL',
      `expected one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`,
    );
  }
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const cors = text(env, 'CORS_ORIGINS');
  const executionConcurrency = integer(env, 'EXECUTION_CONCURRENCY', 32, 1, 10_000);
  return {
    port,
    grpcPort: integer(env, 'GRPC_PORT', 50070, 0, 65535),
    host: text(env, 'HOST') ?? '0.0.0.0',
    databaseUrl: databaseUrl(env),
    databaseSchema: schemaName(env),
    redisUrl,
    queuePrefix: queuePrefix(env),
    jwt: {
      secret: text(env, 'JWT_SECRET'),
      publicKey: text(env, 'JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n'),
      jwksUrl: url(env, 'JWKS_URL', ['http:', 'https:']),
      issuer: text(env, 'JWT_ISSUER'),
      audience: text(env, 'JWT_AUDIENCE'),
    },
    publicBaseUrl: url(env, 'PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`,
    releaseMode: flag(env, 'RELEASE_MODE'),
    licenseServerUrl: url(env, 'LICENSE_SERVER_URL', ['http:', 'https:']),
    licensePublicKey: text(env, 'LICENSE_PUBLIC_KEY')?.replace(/\\n/g, '\n'),
    routerUrl: url(env, 'ROUTER_URL', ['http:', 'https:']),
    workflowTimeoutSeconds: integer(env, 'WORKFLOW_TIMEOUT', 300, 1, 86_400),
    maxLoopIterations: integer(env, 'MAX_LOOP_ITERATIONS', 1000, 1, 1_000_000),
    maxTotalOperations: integer(env, 'MAX_TOTAL_OPERATIONS', 10_000, 1, 10_000_000),
    maxLoopDepth: integer(env, 'MAX_LOOP_DEPTH', 10, 1, 100),
    maxParallelNodes: integer(env, 'MAX_PARALLEL_NODES', 10, 1, 1000),
    maxConfigStringBytes: integer(env, 'MAX_CONFIG_STRING_BYTES', 64 * 1024, 1024, 1024 * 1024),
    expressionTimeoutMs: integer(env, 'EXPRESSION_TIMEOUT_MS', 1000, 10, 60_000),
    expressionWorkers: integer(env, 'EXPRESSION_WORKERS', 2, 1, 64),
    // Above 256 MB a huge expression can reach V8's fatal "invalid size" before the heap limit.
    expressionMemoryMb: integer(env, 'EXPRESSION_MEMORY_MB', 128, 16, 256),
    expressionResultLimitBytes: integer(env, 'EXPRESSION_RESULT_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    expressionSequenceLimit: integer(env, 'EXPRESSION_SEQUENCE_LIMIT', 1_000_000, 1000, 10_000_000),
    executionConcurrency,
    entityConcurrency: integer(
      env,
      'ENTITY_CONCURRENCY',
      Math.max(1, Math.floor(executionConcurrency / 2)),
      1,
      executionConcurrency,
    ),
    variablesLimitBytes: integer(env, 'VARIABLES_LIMIT_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    maxScheduleNodes: integer(env, 'MAX_SCHEDULE_NODES', 10, 1, 1000),
    webhookSignatureFailures: integer(env, 'WEBHOOK_SIGNATURE_FAILURES', 20, 1, 100_000),
    maxWatchersPerExecution: integer(env, 'MAX_WATCHERS_PER_EXECUTION', 20, 1, 10_000),
    maxWatchersPerCaller: integer(env, 'MAX_WATCHERS_PER_CALLER', 100, 1, 100_000),
    streamLagLimitBytes: integer(env, 'STREAM_LAG_LIMIT_BYTES', 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    executionLeaseMs: integer(env, 'EXECUTION_LEASE_MS', 6000, 1000, 600_000),
    workerAbsentWarnSeconds: integer(env, 'WORKER_ABSENT_WARN_SECONDS', 30, 1, 86_400),
    trustProxy: trustProxy(env),
    allowPrivateNetwork: flag(env, 'ALLOW_PRIVATE_NETWORK'),
    corsOrigins:
      cors === undefined
        ? undefined
        : cors
            .split(',')
            .map((origin) => origin.trim())
            .filter(Boolean),
    logLevel,
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    dataDir: text(env, 'DATA_DIR') ?? DEFAULT_DATA_DIR,
    webDir: text(env, 'WEB_DIR'),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    credentialsKey: text(env, 'CREDENTIALS_KEY') === undefined ? undefined : keyList(env, 'CREDENTIALS_KEY')[0],
    credentialsPreviousKeys: keyList(env, 'CREDENTIALS_PREVIOUS_KEYS'),
    maxWorkflowDepth: integer(env, 'MAX_WORKFLOW_DEPTH', 5, 1, 100),
    executionRetentionDays: integer(env, 'EXECUTION_RETENTION_DAYS', 30, 1, 36_500),
    executionRetentionPerWorkflow: integer(env, 'EXECUTION_RETENTION_PER_WORKFLOW', 10_000, 1, 100_000_000),
    retentionIntervalMs: integer(env, 'EXECUTION_RETENTION_INTERVAL_SECONDS', 600, 1, 86_400) * 1000,
    retentionBatchSize: integer(env, 'EXECUTION_RETENTION_BATCH', 50, 1, 100_000),
    responseAuditDir: text(env, 'RESPONSE_AUDIT_DIR'),
  };
}
