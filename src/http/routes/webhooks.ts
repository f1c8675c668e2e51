/**
 * @module http/routes/webhooks
 * The Webhook API: management under a workflow (list, create, update, delete, rotate-secret) and
 * the public trigger, which reads the raw body bytes whatever the content type (the signature is
 * checked before the JSON is), in a scope of its own so the other routes keep the JSON parser.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Logger } from 'pino';
import { EntityIdSchema } from '../../core/ids.ts';
import { plainText } from '../../core/text.ts';
import { isAppError, notFoundError } from '../../errors.ts';
import type { WebhookTrigger } from '../../services/webhook-trigger.ts';
import type { WebhookService } from '../../services/webhooks.ts';
import { resolveClientIp, type TrustProxy } from '../../webhooks/client-ip.ts';
import { MAX_ALLOWLIST_ENTRIES, parseIpAllowlist } from '../../webhooks/ip-allowlist.ts';
import type { RateLimitResult } from '../../webhooks/rate-limiter.ts';
import { actorOf, workflowOf } from '../access.ts';
import { errors, ok, PageQuery, paged, Uuid, WorkflowParams } from '../envelope.ts';
import {
  DeletedWebhookAnswer,
  TriggerAnswerSchema,
  TriggerHeaders,
  TriggerRequestBody,
  WebhookAnswer,
  WebhookListAnswer,
  WebhookWithSecretAnswer,
} from './webhook-answers.ts';

export interface WebhookRoutesOptions {
  readonly service: WebhookService;
  readonly trigger: WebhookTrigger;
  readonly bodyLimitBytes: number;
  readonly trustProxy: boolean | readonly string[];
  readonly logger: Logger;
}

const MAX_TOKEN_LENGTH = 128;
const tags = ['webhooks'];
const view = { access: { kind: 'workflow', permission: 'can_view' } } as const;
const edit = { access: { kind: 'workflow', permission: 'can_edit' } } as const;

const Name = plainText({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Settings = {
  description: Type.Optional(plainText({ maxLength: 2000 })),
  enabled: Type.Optional(Type.Boolean()),
  require_signature: Type.Optional(Type.Boolean()),
  ip_allowlist: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: MAX_ALLOWLIST_ENTRIES })),
  rate_limit_max: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  rate_limit_window: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
};
export const CreateWebhookBody = Type.Object(
  {
    name: Name,
    ...Settings,
    // Sent by the reference's example; the webhook runs in its workflow's community.
    community_id: Type.Optional(Type.Union([EntityIdSchema, Type.Null()])),
  },
  { additionalProperties: false },
);
export const UpdateWebhookBody = Type.Object(
  { name: Type.Optional(Name), ...Settings },
  { additionalProperties: false, minProperties: 1 },
);
const WebhookParams = Type.Object({ workflow_id: Uuid, webhook_id: Uuid }, { additionalProperties: false });
const TokenParams = Type.Object({ token: Type.String() });

/** Parsed once: the configured list was checked at start, so a failure here means "trust nobody". */
function trustSetting(trustProxy: boolean | readonly string[], logger: Logger): TrustProxy {
  if (typeof trustProxy === 'boolean') return trustProxy;
  try {
    return parseIpAllowlist(trustProxy);
  } catch (error) {
    logger.warn({ err: error }, 'TRUST_PROXY list not usable for webhooks; X-Forwarded-For is ignored');
    return false;
  }
}

function setRateLimitHeaders(
  reply: { header(name: string, value: string | number): unknown },
  rate: RateLimitResult,
): void {
  reply.header('x-ratelimit-limit', rate.limit);
  reply.header('x-ratelimit-remaining', rate.remaining);
  reply.header('x-ratelimit-reset', rate.resetEpochSeconds);
  if (!rate.allowed) reply.header('retry-after', rate.retryAfterSeconds);
}

export const webhookRoutes: FastifyPluginAsyncTypebox<WebhookRoutesOptions> = async (app, options) => {
  const { service, trigger } = options;

  app.get(
    '/api/v1/workflows/:workflow_id/webhooks',
    {
      config: view,
      schema: {
        tags,
        summary: 'List webhooks',
        description: 'The webhooks of a workflow with their URLs and trigger counts (never their secrets).',
        params: WorkflowParams,
        querystring: Type.Object({ ...PageQuery }),
        response: { 200: WebhookListAnswer },
      },
    },
    async (request) => {
      const { page, per_page } = request.query;
      const { rows, pagination } = await service.list(workflowOf(request), { page, per_page });
      return paged(rows, pagination, `Retrieved ${rows.length} webhooks`);
    },
  );

  app.post(
    '/api/v1/workflows/:workflow_id/webhooks',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Create a webhook',
        description:
          "A public URL that starts the workflow's trigger_webhook nodes. The answer is the only one besides rotate-secret that carries the signing `secret`: keep it.",
        params: WorkflowParams,
        body: CreateWebhookBody,
        response: { 201: WebhookWithSecretAnswer, ...errors(409) },
      },
    },
    async (request, reply) => {
      const { community_id: _community, ...settings } = request.body;
      const created = await service.create(actorOf(request), workflowOf(request), settings);
      reply.status(201);
      return ok(created, 'Webhook created successfully');
    },
  );

  app.patch(
    '/api/v1/workflows/:workflow_id/webhooks/:webhook_id',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Update a webhook',
        description:
          'Changes name, description, enabled, require_signature, ip_allowlist or the rate limit; fields left out stay as they are. The token and secret do not change (see rotate-secret).',
        params: WebhookParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookAnswer, ...errors(409) },
      },
    },
    async (request) =>
      ok(
        await service.update(actorOf(request), workflowOf(request), request.params.webhook_id, request.body),
        'Webhook updated successfully',
      ),
  );

  app.delete(
    '/api/v1/workflows/:workflow_id/webhooks/:webhook_id',
    {
      config: edit,
      schema: { tags, summary: 'Delete a webhook', params: WebhookParams, response: { 200: DeletedWebhookAnswer } },
    },
    async (request) =>
      ok(
        await service.remove(actorOf(request), workflowOf(request), request.params.webhook_id),
        'Webhook deleted successfully',
      ),
  );

  app.post(
    '/api/v1/workflows/:workflow_id/webhooks/:webhook_id/rotate-secret',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Rotate a webhook secret',
        description: 'A new signing secret, answered once; signatures made with the old one fail from now on.',
        params: WebhookParams,
        response: { 200: WebhookWithSecretAnswer, ...errors(409) },
      },
    },
    async (request) =>
      ok(
        await service.rotateSecret(actorOf(request), workflowOf(request), request.params.webhook_id),
        'Webhook secret rotated',
      ),
  );

  const trustProxy = trustSetting(options.trustProxy, options.logger);
  await app.register(async (scope) => {
    // Every content type (or none) arrives as bytes: JSON validity is check 6, after the signature.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes },
      (_request, body, done) => {
        done(null, body);
      },
    );
    scope.post(
      '/api/v1/workflows/webhooks/:token',
      {
        config: {
          access: { kind: 'public' },
          rawBody: true,
          docs: { body: TriggerRequestBody, headers: TriggerHeaders },
        },
        schema: {
          tags,
          summary: 'Trigger a webhook (public)',
          description:
            "Starts the workflow's trigger_webhook nodes with the body as trigger data (`trigger` and its top-level fields as variables). Checks, in order: token, enabled, IP allowlist, rate limit (X-RateLimit-* headers on every answer), signature (`X-Webhook-Signature: sha256=` + hex HMAC-SHA256 of token bytes followed by body bytes, keyed with the secret), JSON body. An `Idempotency-Key` header answers a repeated call with the first answer (header `Idempotent-Replayed: true`).",
          params: TokenParams,
          response: { 200: TriggerAnswerSchema, ...errors(403, 404, 409, 413, 429, 503) },
        },
      },
      async (request, reply) => {
        const { token } = request.params as { token: string };
        if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw notFoundError('WEBHOOK_NOT_FOUND');
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const clientIp = resolveClientIp({
          remoteAddress: request.socket.remoteAddress,
          forwardedFor: request.headers['x-forwarded-for'],
          trustProxy,
        });
        const result = await trigger
          .trigger(
            { token, rawBody, clientIp, headers: request.headers, query: request.query as Record<string, unknown> },
            (rate) => setRateLimitHeaders(reply, rate),
          )
          .catch((error: unknown) => {
            // The signature failure budget refuses before the window is consulted: say when to retry.
            const retryAfter = isAppError(error) ? error.details.retry_after : undefined;
            if (typeof retryAfter === 'number' && !reply.hasHeader('retry-after'))
              reply.header('retry-after', retryAfter);
            throw error;
          });
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return ok(result.answer, 'Workflow execution triggered');
      },
    );
  });
};
