/**
 * @module store/audit-repository
 * The audit trail: who changed what, when, from which address.
 */
import type { Db } from './database.ts';
import { offsetOf, type PageRequest } from './pagination.ts';

export interface AuditEntry {
  readonly workflow_id: string;
  readonly action: string;
  readonly actor_id: string;
  readonly actor_username: string | null;
  readonly client_ip: string | null;
  readonly details: Record<string, unknown>;
  readonly created_at: string;
}

export async function insertAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ ...entry, details: JSON.stringify(entry.details) })
    .execute();
}

export async function listAudit(
  db: Db,
  workflowId: string,
  page: PageRequest,
): Promise<{ rows: (AuditEntry & { audit_id: number })[]; total: number }> {
  const base = db.selectFrom('audit_log').where('workflow_id', '=', workflowId);
  const [{ total }] = await base.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await base.selectAll().orderBy('audit_id', 'desc').limit(page.per_page).offset(offsetOf(page)).execute();
  return { rows: rows.map((row) => ({ ...row, details: JSON.parse(row.details) })), total: Number(total) };
}
