/**
 * @module http/route-responses
 * Every documented route declares its success answers; this adds the error answers its kind of
 * route shares (from its access rule and the request parts it validates), so each route's
 * document and serializer list every status it can answer with the error envelope.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Access } from './access.ts';
import { ErrorEnvelope } from './envelope.ts';

/** The error statuses a route can answer because of what it is, not what its handler does. */
export function sharedErrorStatuses(access: Access | undefined, schema: RouteOptions['schema']): number[] {
  const statuses = [500];
  const kind = access?.kind ?? 'public';
  if (schema?.params || schema?.querystring || schema?.body) statuses.push(400);
  if (schema?.body) statuses.push(413, 415);
  if (kind !== 'public') statuses.push(401);
  if (kind !== 'public' && kind !== 'authenticated') statuses.push(403);
  if (kind === 'workflow' || kind === 'execution' || kind === 'credential') statuses.push(404);
  return statuses;
}

export function registerErrorResponses(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as
      | (RouteOptions['schema'] & { hide?: boolean; response?: Record<string, unknown> })
      | undefined;
    // Routes of plugins (the /docs UI's assets, CORS preflight) are hidden and answer no JSON.
    if (schema?.hide) return;
    if (!schema) throw new Error(`route ${route.method} ${route.url} declares no schema`);
    const response = schema.response ?? {};
    if (!Object.keys(response).some((status) => status.startsWith('2'))) {
      throw new Error(`route ${route.method} ${route.url} declares no success response schema`);
    }
    const access = (route.config as { access?: Access } | undefined)?.access;
    const shared = sharedErrorStatuses(access, schema).filter((status) => !(status in response));
    schema.response = {
      ...response,
      ...Object.fromEntries(shared.map((status) => [status, ErrorEnvelope(status)])),
    };
  });
}
