/**
 * @module http/server
 * Builds the Fastify app: strict validation, the JSON body parser, access control, the error
 * envelope and every route's error answers, metrics, the OpenAPI document and /docs, CORS when
 * configured, then the route modules.
 */
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/jwt.ts';
import type { Metrics } from '../metrics.ts';
import { type AccessResolvers, type RouteAccess, registerAccessControl } from './access.ts';
import { registerErrorHandler } from './error-handler.ts';
import { registerJsonBodyParser } from './json-body.ts';
import { openApiOptions } from './openapi.ts';
import { registerResponseAudit } from './response-audit.ts';
import type { Route } from './route.ts';
import { registerErrorResponses } from './route-responses.ts';
import { docsRoutes } from './routes/docs.ts';
import { MODULE_VERSION } from './routes/system.ts';
import { validatorCompiler } from './validation.ts';

export interface ServerOptions {
  readonly logger: Logger;
  readonly authenticator: Authenticator;
  readonly resolvers: AccessResolvers;
  readonly metrics: Metrics;
  readonly bodyLimitBytes: number;
  readonly trustProxy: boolean | readonly string[];
  readonly corsOrigins?: readonly string[];
  readonly publicBaseUrl: string;
  /** Test support: record answered routes and refuse answers a schema changed (response-audit.ts). */
  readonly responseAuditDir?: string;
  /** Route modules, registered in order after the shared plumbing. */
  readonly routes: readonly Route[];
}

declare module 'fastify' {
  interface FastifyInstance {
    routeAccessTable: RouteAccess[];
  }
}

let requestCounter = 0;

/** UUIDs are stored lower-case; one written in capitals names the same resource (RFC 4122 §3). */
function lowerCaseUuidParams(request: FastifyRequest): void {
  const properties = (request.routeOptions.schema?.params as { properties?: Record<string, { format?: string }> })
    ?.properties;
  if (!properties) return;
  const params = request.params as Record<string, unknown>;
  for (const [name, schema] of Object.entries(properties)) {
    const value = params[name];
    if (schema.format === 'uuid' && typeof value === 'string') params[name] = value.toLowerCase();
  }
}

function registerHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy === false ? false : options.trustProxy === true ? true : [...options.trustProxy],
    genReqId: () => `req-${process.pid.toString(36)}-${(++requestCounter).toString(36)}`,
    // Per-request log lines cost throughput; metrics and error logs cover what operators need.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 256 },
    // Requests that arrive after close() starts get 503 instead of hanging.
    return503OnClosing: true,
  });

  app.setValidatorCompiler(validatorCompiler);
  registerJsonBodyParser(app, options.bodyLimitBytes);
  registerErrorHandler(app);
  registerHttpMetrics(app, options.metrics);
  // Before access control: its preflight route needs no token (browsers send none), and its
  // headers must be on 401/403 answers too, or the browser hides them from the page.
  if (options.corsOrigins?.length) {
    await app.register(cors, { origin: [...options.corsOrigins], credentials: false });
  }
  app.decorate('routeAccessTable', registerAccessControl(app, options.authenticator, options.resolvers));
  registerErrorResponses(app);
  if (options.responseAuditDir) registerResponseAudit(app, options.responseAuditDir);

  // Routes with a body schema accept a request without a body as `{}` (e.g. a bare POST …/publish).
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.routeOptions.schema?.body) request.body = {};
    lowerCaseUuidParams(request);
  });

  await app.register(swagger, openApiOptions(options.publicBaseUrl, MODULE_VERSION));
  await app.register(docsRoutes);
  for (const route of options.routes) await route.register(app);
  return app;
}
