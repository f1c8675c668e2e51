/**
 * @module services/webhook-token-cache
 * The webhook trigger's view of a token, kept for a few seconds so most calls read nothing: the
 * webhook and its workflow's state, the parsed IP allowlist and the trigger nodes a call starts.
 * Dropped by token or by workflow on every change this process makes.
 */
import { webhookTriggerNodeIds } from '../nodes/trigger-webhook.ts';
import type { Db } from '../store/database.ts';
import { findWebhookTarget, type WebhookTarget } from '../store/webhooks-repository.ts';
import { findVersion } from '../store/workflows-repository.ts';
import { type IpRange, parseIpRange } from '../webhooks/ip-allowlist.ts';

export interface CachedWebhook {
  readonly target: WebhookTarget;
  readonly allowlist: readonly IpRange[];
  /** The enabled `trigger_webhook` nodes of the published version: the only nodes a call starts. */
  readonly triggerNodeIds: readonly string[];
}

const MAX_CACHED_TOKENS = 10_000;

/**
 * Token → webhook and workflow state, for `ttlMs`. Misses are cached too (a scan of random tokens
 * costs one read per token per TTL), and concurrent misses share one read.
 */
export function createWebhookCache(db: Db, ttlMs: number, now: () => number) {
  const entries = new Map<
    string,
    { readonly value: Promise<CachedWebhook | null>; readonly expiresAt: number; workflowId?: string }
  >();

  async function load(token: string): Promise<CachedWebhook | null> {
    const target = await findWebhookTarget(db, token);
    if (!target) return null;
    const version =
      target.published_version === null
        ? undefined
        : await findVersion(db, target.webhook.workflow_id, target.published_version);
    const nodes = version?.snapshot.nodes ?? {};
    return {
      target,
      allowlist: target.webhook.ip_allowlist.map(parseIpRange).filter((range): range is IpRange => range !== null),
      triggerNodeIds: webhookTriggerNodeIds(nodes),
    };
  }

  return {
    get(token: string): Promise<CachedWebhook | null> {
      const at = now();
      const hit = entries.get(token);
      if (hit && hit.expiresAt > at) return hit.value;
      if (hit) entries.delete(token);
      if (entries.size >= MAX_CACHED_TOKENS) entries.delete(entries.keys().next().value as string);
      const entry: { value: Promise<CachedWebhook | null>; expiresAt: number; workflowId?: string } = {
        value: load(token),
        expiresAt: at + ttlMs,
      };
      entries.set(token, entry);
      entry.value.then(
        (value) => {
          entry.workflowId = value?.target.webhook.workflow_id;
        },
        () => {
          if (entries.get(token) === entry) entries.delete(token);
        },
      );
      return entry.value;
    },
    invalidateToken(token: string): void {
      entries.delete(token);
    },
    invalidateWorkflow(workflowId: string): void {
      // Misses are dropped as well: one of them may be a webhook created a moment ago.
      for (const [token, entry] of entries)
        if (entry.workflowId === workflowId || entry.workflowId === undefined) entries.delete(token);
    },
    clear(): void {
      entries.clear();
    },
  };
}
