/**
 * @module services/webhook-trigger
 * The public webhook trigger (PRODUCT.md §9): the checks in their fixed order, then a durable
 * `queued` execution. Kept off the database where it can be: webhook lookups are cached by token
 * for a few seconds (and dropped on every change this process makes), statistics are counted in
 * memory and flushed in batches; only the execution insert is on the path of every call.
 */
import type { Logger } from 'pino';
import { isSecretHeaderName } from '../core/secrets.ts';
import { AppError, isAppError, notFoundError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { Db } from '../store/database.ts';
import { completeIdempotencyKey, releaseIdempotencyKey } from '../store/webhooks-repository.ts';
import { ipInRanges } from '../webhooks/ip-allowlist.ts';
import { parseJsonBody } from '../webhooks/json-body.ts';
import type { RateLimiter, RateLimitResult } from '../webhooks/rate-limiter.ts';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../webhooks/signature.ts';
import { createSignatureBudget } from '../webhooks/signature-budget.ts';
import type { ExecutionStarter, StartExecutionInput } from './execution-types.ts';
import { claimIdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH } from './webhook-idempotency.ts';
import { type CachedWebhook, createWebhookCache } from './webhook-token-cache.ts';

export interface TriggerRequest {
  readonly token: string;
  readonly rawBody: Buffer;
  readonly clientIp: string;
  /** Lower-cased as Node delivers them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly query: Readonly<Record<string, unknown>>;
}

/** The `data` of the 200 answer, as the reference shows it. */
export interface TriggerAnswer {
  readonly execution_id: string;
  readonly webhook_id: string;
  readonly workflow_id: string;
  readonly status: string;
  readonly timestamp: string;
}

export interface TriggerResult {
  readonly answer: TriggerAnswer;
  /** True when an earlier call with the same Idempotency-Key answered this. */
  readonly replayed: boolean;
}

export interface WebhookTriggerDeps {
  readonly db: Db;
  readonly executions: ExecutionStarter;
  readonly limiter: RateLimiter;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** Called once per accepted (not replayed) trigger; statistics are batched by the caller. */
  readonly recordTrigger: (webhookId: string, at: number) => void;
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
  /** Failed signature checks per webhook per minute before calls are refused unchecked (default 20). */
  readonly signatureFailuresPerMinute?: number;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function visibleHeaders(headers: TriggerRequest['headers']): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    // Headers that carry credentials are never copied into the execution's trigger data.
    if (value !== undefined && !isSecretHeaderName(name)) kept[name.toLowerCase()] = value;
  }
  return kept;
}

export function createWebhookTrigger(deps: WebhookTriggerDeps) {
  const { db, executions, limiter, logger } = deps;
  const now = deps.now ?? Date.now;
  const cache = createWebhookCache(db, deps.cacheTtlMs ?? 2000, now);
  const signatureBudget = createSignatureBudget(limiter, deps.signatureFailuresPerMinute ?? 20, now);

  /** Checks 1-4 of §9: who is calling which webhook. */
  async function admit(request: TriggerRequest): Promise<CachedWebhook> {
    const entry = await cache.get(request.token);
    if (!entry || entry.target.workflow_status === 'archived') throw notFoundError('WEBHOOK_NOT_FOUND');
    const { webhook } = entry.target;
    if (!webhook.enabled) throw new AppError('WEBHOOK_DISABLED', 'Webhook is disabled');
    if (entry.allowlist.length > 0 && !ipInRanges(entry.allowlist, request.clientIp)) {
      throw new AppError('IP_NOT_ALLOWED', 'Client IP is not in the webhook allowlist', {
        client_ip: request.clientIp,
      });
    }
    if (webhook.require_signature) {
      const signature = request.headers[SIGNATURE_HEADER];
      if (signature === undefined || signature === '') {
        throw new AppError('SIGNATURE_REQUIRED', 'X-Webhook-Signature header is required');
      }
      const retryAfter = signatureBudget.retryAfterSeconds(webhook.webhook_id);
      if (retryAfter > 0) {
        throw new AppError('RATE_LIMIT_EXCEEDED', 'Too many failed signature checks for this webhook', {
          retry_after: retryAfter,
        });
      }
      if (!verifyWebhookSignature(webhook.secret, webhook.token, request.rawBody, signature)) {
        await signatureBudget.failed(webhook.webhook_id).catch((error: unknown) => {
          logger.warn({ err: error, webhook_id: webhook.webhook_id }, 'signature failure budget unavailable');
        });
        throw new AppError('SIGNATURE_INVALID', 'Webhook signature verification failed');
      }
    }
    return entry;
  }

  async function limit(entry: CachedWebhook): Promise<RateLimitResult> {
    const { webhook } = entry.target;
    try {
      return await limiter.hit(webhook.webhook_id, webhook.rate_limit_max, webhook.rate_limit_window);
    } catch (error) {
      logger.error({ err: error, webhook_id: webhook.webhook_id }, 'webhook rate limiter unavailable');
      throw new AppError('SERVICE_UNAVAILABLE', 'Rate limiter unavailable; try again later');
    }
  }

  async function startExecution(
    entry: CachedWebhook,
    input: StartExecutionInput,
    key: string | undefined,
  ): Promise<TriggerResult> {
    const { webhook } = entry.target;
    const answerOf = (executionId: string, status: string): TriggerAnswer => ({
      execution_id: executionId,
      webhook_id: webhook.webhook_id,
      workflow_id: webhook.workflow_id,
      status,
      timestamp: new Date(now()).toISOString(),
    });
    if (key === undefined) {
      const started = await executions.start(input);
      return { answer: answerOf(started.execution_id, started.status), replayed: false };
    }
    const claim = await claimIdempotencyKey(db, now, webhook.webhook_id, key);
    if (claim.replay) return { answer: claim.replay.response as unknown as TriggerAnswer, replayed: true };
    let answer: TriggerAnswer;
    try {
      const started = await executions.start(input);
      answer = answerOf(started.execution_id, started.status);
    } catch (error) {
      await releaseIdempotencyKey(db, webhook.webhook_id, key).catch(() => {});
      throw error;
    }
    await completeIdempotencyKey(db, webhook.webhook_id, key, answer.execution_id, { ...answer });
    return { answer, replayed: false };
  }

  /**
   * Runs the checks of §9 in order. `onRateLimit` receives the window state as soon as step 5
   * ran, so the caller can put the X-RateLimit-* headers on every later answer, errors included.
   */
  async function trigger(
    request: TriggerRequest,
    onRateLimit: (result: RateLimitResult) => void,
  ): Promise<TriggerResult> {
    const entry = await admit(request);
    const rate = await limit(entry);
    onRateLimit(rate);
    if (!rate.allowed) {
      throw new AppError('RATE_LIMIT_EXCEEDED', 'Webhook rate limit exceeded', {
        limit: rate.limit,
        retry_after: rate.retryAfterSeconds,
      });
    }
    const body = parseJsonBody(request.rawBody);
    const { target, triggerNodeIds } = entry;
    if (target.workflow_status !== 'active') {
      throw new AppError('WORKFLOW_NOT_ACTIVE', 'Workflow is not active; publish it first', {
        status: target.workflow_status,
      });
    }
    // Other triggers keep their own guards (require_mod, cooldowns, platforms): a webhook never runs them.
    if (triggerNodeIds.length === 0) {
      throw new AppError(
        'WORKFLOW_NOT_ACTIVE',
        'The published version has no enabled trigger_webhook node; add one and publish again',
        { status: target.workflow_status, reason: 'no_trigger_webhook' },
      );
    }
    const key = single(request.headers['idempotency-key']);
    if (key !== undefined && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      throw new AppError('BAD_REQUEST', `Idempotency-Key must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    const { webhook } = target;
    const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
    const input: StartExecutionInput = {
      workflowId: webhook.workflow_id,
      triggerSource: 'webhook',
      triggerNodeIds,
      triggerData: isObject ? (body as Record<string, unknown>) : {},
      triggerVariable: {
        body,
        headers: visibleHeaders(request.headers),
        query: request.query,
        webhook_id: webhook.webhook_id,
        client_ip: request.clientIp,
      },
      metadata: { webhook_id: webhook.webhook_id, ...(key === undefined ? {} : { idempotency_key: key }) },
      actorId: null,
    };
    try {
      const result = await startExecution(entry, input, key);
      if (!result.replayed) deps.recordTrigger(webhook.webhook_id, now());
      return result;
    } catch (error) {
      // The cached view was stale (archived or republished since): forget it.
      if (isAppError(error)) cache.invalidateWorkflow(webhook.workflow_id);
      if (isAppError(error) && error.code === 'WORKFLOW_NOT_FOUND') throw notFoundError('WEBHOOK_NOT_FOUND');
      throw error;
    }
  }

  return {
    async trigger(request: TriggerRequest, onRateLimit: (result: RateLimitResult) => void): Promise<TriggerResult> {
      try {
        const result = await trigger(request, onRateLimit);
        deps.metrics?.webhookOutcomes.inc({ outcome: result.replayed ? 'replayed' : 'accepted' });
        return result;
      } catch (error) {
        deps.metrics?.webhookOutcomes.inc({ outcome: isAppError(error) ? error.code : 'INTERNAL_ERROR' });
        throw error;
      }
    },
    invalidateToken: cache.invalidateToken,
    invalidateWorkflow: cache.invalidateWorkflow,
    clearCache: cache.clear,
  };
}

export type WebhookTrigger = ReturnType<typeof createWebhookTrigger>;
