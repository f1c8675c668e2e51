/**
 * @module services/webhooks
 * Webhook management (list, create, update, delete, rotate-secret) with its batched trigger
 * statistics; each change writes an audit row. The public trigger is services/webhook-trigger.ts,
 * and features/webhooks.ts wires both with the rate limiter into the app.
 */
import { randomUUID } from 'node:crypto';
import { AppError, notFoundError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { type PageRequest, paginationOf } from '../store/pagination.ts';
import {
  deleteWebhook,
  findWebhook,
  insertWebhook,
  listWebhooks,
  updateWebhook,
  type WebhookChanges,
  type WebhookRecord,
} from '../store/webhooks-repository.ts';
import type { WorkflowRecord } from '../store/workflows-repository.ts';
import { validateIpAllowlist } from '../webhooks/ip-allowlist.ts';
import { generateWebhookSecret, generateWebhookToken } from '../webhooks/signature.ts';
import { type Actor, auditWriter } from './audit-trail.ts';
import type { StatisticsBatcher } from './webhook-statistics.ts';

export const WEBHOOK_DEFAULTS = {
  enabled: true,
  require_signature: true,
  rate_limit_max: 60,
  rate_limit_window: 60,
} as const;

export interface WebhookSettings {
  readonly name?: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly require_signature?: boolean;
  readonly ip_allowlist?: readonly string[];
  readonly rate_limit_max?: number;
  readonly rate_limit_window?: number;
}

/** A webhook as every answer shows it: never the secret. */
export function webhookView(webhook: WebhookRecord, publicBaseUrl: string) {
  const { secret: _secret, created_by: _createdBy, ...shown } = webhook;
  return { ...shown, url: `${publicBaseUrl}/api/v1/workflows/webhooks/${webhook.token}` };
}
export type WebhookView = ReturnType<typeof webhookView>;

function checkedAllowlist(list: readonly string[] | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const problems = validateIpAllowlist(list);
  if (problems.length > 0) throw new AppError('BAD_REQUEST', problems.join('; '), { errors: problems });
  return list.map((entry) => entry.trim());
}

export interface WebhookServiceDeps {
  readonly db: Db;
  readonly publicBaseUrl: string;
  readonly statistics: StatisticsBatcher;
  /** Drops cached lookups after a change, so this process never triggers a stale webhook. */
  readonly invalidateToken: (token: string) => void;
  readonly now?: () => Date;
}

export function createWebhookService(deps: WebhookServiceDeps) {
  const { db, publicBaseUrl, statistics } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  const view = (webhook: WebhookRecord) => webhookView(webhook, publicBaseUrl);

  const audit = auditWriter(now);

  async function existing(workflow: WorkflowRecord, webhookId: string): Promise<WebhookRecord> {
    const webhook = await findWebhook(db, workflow.workflow_id, webhookId);
    if (!webhook) throw notFoundError('WEBHOOK_NOT_FOUND');
    return webhook;
  }

  function refuseArchived(workflow: WorkflowRecord): void {
    if (workflow.status === 'archived')
      throw new AppError('WORKFLOW_NOT_ACTIVE', 'Workflow is archived', { status: workflow.status });
  }

  async function change(
    actor: Actor,
    workflow: WorkflowRecord,
    webhook: WebhookRecord,
    changes: WebhookChanges,
    action: string,
  ) {
    await db.transaction().execute(async (trx) => {
      await updateWebhook(trx, webhook.webhook_id, changes);
      const { secret: _secret, ...logged } = changes;
      await audit(trx, actor, workflow.workflow_id, action, { webhook_id: webhook.webhook_id, ...logged });
    });
    deps.invalidateToken(webhook.token);
    return { ...webhook, ...changes } as WebhookRecord;
  }

  return {
    async list(workflow: WorkflowRecord, page: PageRequest) {
      // Counts of this process are written first, so a list right after a trigger shows it.
      await statistics.flush();
      const { rows, total } = await listWebhooks(db, workflow.workflow_id, page);
      return { rows: rows.map(view), pagination: paginationOf(page, total) };
    },

    /** The only answer besides rotate-secret that carries the signing secret. */
    async create(actor: Actor, workflow: WorkflowRecord, input: WebhookSettings & { readonly name: string }) {
      refuseArchived(workflow);
      const at = now();
      const webhook: WebhookRecord = {
        webhook_id: randomUUID(),
        workflow_id: workflow.workflow_id,
        token: generateWebhookToken(),
        secret: generateWebhookSecret(),
        name: input.name.trim(),
        description: input.description ?? '',
        enabled: input.enabled ?? WEBHOOK_DEFAULTS.enabled,
        require_signature: input.require_signature ?? WEBHOOK_DEFAULTS.require_signature,
        ip_allowlist: checkedAllowlist(input.ip_allowlist) ?? [],
        rate_limit_max: input.rate_limit_max ?? WEBHOOK_DEFAULTS.rate_limit_max,
        rate_limit_window: input.rate_limit_window ?? WEBHOOK_DEFAULTS.rate_limit_window,
        created_by: actor.principal.userId,
        created_at: at,
        updated_at: at,
        last_triggered_at: null,
        trigger_count: 0,
      };
      await db.transaction().execute(async (trx) => {
        await insertWebhook(trx, webhook);
        await audit(trx, actor, workflow.workflow_id, 'webhook.create', {
          webhook_id: webhook.webhook_id,
          name: webhook.name,
        });
      });
      deps.invalidateToken(webhook.token);
      return { ...view(webhook), secret: webhook.secret };
    },

    async update(actor: Actor, workflow: WorkflowRecord, webhookId: string, input: WebhookSettings) {
      refuseArchived(workflow);
      const webhook = await existing(workflow, webhookId);
      const allowlist = checkedAllowlist(input.ip_allowlist);
      const changes: WebhookChanges = {
        ...input,
        ...(input.name === undefined ? {} : { name: input.name.trim() }),
        ...(allowlist === undefined ? {} : { ip_allowlist: allowlist }),
        updated_at: now(),
      };
      return view(await change(actor, workflow, webhook, changes, 'webhook.update'));
    },

    async rotateSecret(actor: Actor, workflow: WorkflowRecord, webhookId: string) {
      refuseArchived(workflow);
      const webhook = await existing(workflow, webhookId);
      const updated = await change(
        actor,
        workflow,
        webhook,
        { secret: generateWebhookSecret(), updated_at: now() },
        'webhook.rotate_secret',
      );
      return { ...view(updated), secret: updated.secret };
    },

    async remove(actor: Actor, workflow: WorkflowRecord, webhookId: string) {
      const webhook = await existing(workflow, webhookId);
      await db.transaction().execute(async (trx) => {
        await deleteWebhook(trx, webhook.webhook_id);
        await audit(trx, actor, workflow.workflow_id, 'webhook.delete', {
          webhook_id: webhook.webhook_id,
          name: webhook.name,
        });
      });
      deps.invalidateToken(webhook.token);
      return { webhook_id: webhook.webhook_id };
    },
  };
}
export type WebhookService = ReturnType<typeof createWebhookService>;
