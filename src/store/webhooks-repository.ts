/**
 * @module store/webhooks-repository
 * Webhooks, their batched trigger statistics and the idempotency keys of their triggers.
 * Functions over a Kysely handle or transaction; JSON and 0/1 columns are converted here only.
 */
import { sql } from 'kysely';
import type { Bool, Db, WebhookTable } from './database.ts';
import { offsetOf, type PageRequest } from './pagination.ts';

export interface WebhookRecord {
  readonly webhook_id: string;
  readonly workflow_id: string;
  readonly token: string;
  readonly secret: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly require_signature: boolean;
  readonly ip_allowlist: readonly string[];
  readonly rate_limit_max: number;
  readonly rate_limit_window: number;
  readonly created_by: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly last_triggered_at: string | null;
  readonly trigger_count: number;
}

/** What the trigger path needs in one read: the webhook and its workflow's state. */
export interface WebhookTarget {
  readonly webhook: WebhookRecord;
  readonly workflow_status: string;
  readonly community_id: number | null;
  readonly published_version: number | null;
}

export type WebhookChanges = Partial<
  Pick<
    WebhookRecord,
    | 'name'
    | 'description'
    | 'enabled'
    | 'require_signature'
    | 'ip_allowlist'
    | 'rate_limit_max'
    | 'rate_limit_window'
    | 'secret'
  >
> & { readonly updated_at: string };

const bool = (value: boolean): Bool => (value ? 1 : 0);

function toRecord(row: WebhookTable): WebhookRecord {
  return {
    ...row,
    enabled: row.enabled === 1,
    require_signature: row.require_signature === 1,
    ip_allowlist: JSON.parse(row.ip_allowlist) as string[],
    rate_limit_max: Number(row.rate_limit_max),
    rate_limit_window: Number(row.rate_limit_window),
    trigger_count: Number(row.trigger_count),
  };
}

export async function insertWebhook(db: Db, webhook: WebhookRecord): Promise<void> {
  await db
    .insertInto('webhooks')
    .values({
      ...webhook,
      enabled: bool(webhook.enabled),
      require_signature: bool(webhook.require_signature),
      ip_allowlist: JSON.stringify(webhook.ip_allowlist),
    })
    .execute();
}

export async function findWebhook(db: Db, workflowId: string, webhookId: string): Promise<WebhookRecord | undefined> {
  const row = await db
    .selectFrom('webhooks')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .where('webhook_id', '=', webhookId)
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function findWebhookTarget(db: Db, token: string): Promise<WebhookTarget | undefined> {
  const row = await db
    .selectFrom('webhooks')
    .innerJoin('workflows', 'workflows.workflow_id', 'webhooks.workflow_id')
    .selectAll('webhooks')
    .select([
      'workflows.status as workflow_status',
      'workflows.community_id as community_id',
      'workflows.published_version as published_version',
    ])
    .where('webhooks.token', '=', token)
    .executeTakeFirst();
  if (!row) return undefined;
  const { workflow_status, community_id, published_version, ...webhook } = row;
  return {
    webhook: toRecord(webhook),
    workflow_status,
    community_id: community_id === null ? null : Number(community_id),
    published_version,
  };
}

export async function hasWebhooks(db: Db, workflowId: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhooks')
    .select('webhook_id')
    .where('workflow_id', '=', workflowId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listWebhooks(
  db: Db,
  workflowId: string,
  page: PageRequest,
): Promise<{ rows: WebhookRecord[]; total: number }> {
  const base = db.selectFrom('webhooks').where('workflow_id', '=', workflowId);
  const [{ total }] = await base.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await base
    .selectAll()
    .orderBy('created_at', 'asc')
    .orderBy('webhook_id', 'asc')
    .limit(page.per_page)
    .offset(offsetOf(page))
    .execute();
  return { rows: rows.map(toRecord), total: Number(total) };
}

export async function updateWebhook(db: Db, webhookId: string, changes: WebhookChanges): Promise<void> {
  const { enabled, require_signature, ip_allowlist, ...plain } = changes;
  await db
    .updateTable('webhooks')
    .set({
      ...plain,
      ...(enabled === undefined ? {} : { enabled: bool(enabled) }),
      ...(require_signature === undefined ? {} : { require_signature: bool(require_signature) }),
      ...(ip_allowlist === undefined ? {} : { ip_allowlist: JSON.stringify(ip_allowlist) }),
    })
    .where('webhook_id', '=', webhookId)
    .execute();
}

export async function deleteWebhook(db: Db, webhookId: string): Promise<void> {
  await db.deleteFrom('webhook_idempotency').where('webhook_id', '=', webhookId).execute();
  await db.deleteFrom('webhooks').where('webhook_id', '=', webhookId).execute();
}

/** Adds a batch of triggers; `last_triggered_at` only moves forward (several processes flush). */
export async function addWebhookStatistics(db: Db, webhookId: string, count: number, lastAt: string): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({
      trigger_count: sql`trigger_count + ${count}`,
      last_triggered_at: sql`case when last_triggered_at is null or last_triggered_at < ${lastAt} then ${lastAt} else last_triggered_at end`,
    })
    .where('webhook_id', '=', webhookId)
    .execute();
}

export interface IdempotencyRecord {
  readonly webhook_id: string;
  readonly idempotency_key: string;
  readonly execution_id: string;
  readonly response: Record<string, unknown>;
  readonly created_at: string;
}

export async function findIdempotencyKey(
  db: Db,
  webhookId: string,
  key: string,
  notBefore: string,
): Promise<IdempotencyRecord | undefined> {
  const row = await db
    .selectFrom('webhook_idempotency')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .where('idempotency_key', '=', key)
    .where('created_at', '>=', notBefore)
    .executeTakeFirst();
  return row ? { ...row, response: JSON.parse(row.response) as Record<string, unknown> } : undefined;
}

export async function insertIdempotencyKey(db: Db, record: IdempotencyRecord): Promise<void> {
  await db
    .insertInto('webhook_idempotency')
    .values({ ...record, response: JSON.stringify(record.response) })
    .execute();
}

/** Fills a claimed key (inserted with an empty execution id) with the answer its call got. */
export async function completeIdempotencyKey(
  db: Db,
  webhookId: string,
  key: string,
  executionId: string,
  response: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('webhook_idempotency')
    .set({ execution_id: executionId, response: JSON.stringify(response) })
    .where('webhook_id', '=', webhookId)
    .where('idempotency_key', '=', key)
    .execute();
}

/** Drops a claim that never got its execution (the start failed, or its process died). */
export async function releaseIdempotencyKey(db: Db, webhookId: string, key: string, claimedAt?: string): Promise<void> {
  let query = db
    .deleteFrom('webhook_idempotency')
    .where('webhook_id', '=', webhookId)
    .where('idempotency_key', '=', key)
    .where('execution_id', '=', '');
  if (claimedAt !== undefined) query = query.where('created_at', '=', claimedAt);
  await query.execute();
}

/** Drops keys older than `before` (all of them, or only this webhook's key before reuse). */
export async function deleteExpiredIdempotencyKeys(
  db: Db,
  before: string,
  only?: { readonly webhookId: string; readonly key: string },
): Promise<number> {
  let query = db.deleteFrom('webhook_idempotency').where('created_at', '<', before);
  if (only) query = query.where('webhook_id', '=', only.webhookId).where('idempotency_key', '=', only.key);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
