/**
 * @module store/credentials-repository
 * Credential rows. Field values stay sealed here (services/credential-cipher.ts opens them);
 * JSON columns are (de)serialized here and nowhere else.
 */
import type { Db } from './database.ts';
import { offsetOf, type PageRequest } from './pagination.ts';

/** One field value, sealed with AES-256-GCM under the key `key_id` (base64 parts). */
export interface SealedValue {
  readonly key_id: string;
  readonly nonce: string;
  readonly ciphertext: string;
  readonly tag: string;
}

export interface CredentialRecord {
  readonly credential_id: string;
  readonly entity_id: number;
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly fields: Readonly<Record<string, SealedValue>>;
  readonly created_by: string;
  readonly created_at: string;
  readonly updated_at: string;
}

type Row = Omit<CredentialRecord, 'fields'> & { fields: string };

function toRecord(row: Row): CredentialRecord {
  return { ...row, fields: JSON.parse(row.fields) };
}

export async function insertCredential(db: Db, record: CredentialRecord): Promise<void> {
  await db
    .insertInto('credentials')
    .values({ ...record, fields: JSON.stringify(record.fields) })
    .execute();
}

export async function findCredential(db: Db, credentialId: string): Promise<CredentialRecord | undefined> {
  const row = await db
    .selectFrom('credentials')
    .selectAll()
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function findCredentialByName(
  db: Db,
  entityId: number,
  name: string,
): Promise<CredentialRecord | undefined> {
  return (await findCredentialsByNames(db, entityId, [name]))[0];
}

export async function findCredentialsByNames(
  db: Db,
  entityId: number,
  names: readonly string[],
): Promise<CredentialRecord[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('credentials')
    .selectAll()
    .where('entity_id', '=', entityId)
    .where('name', 'in', [...names])
    .execute();
  return rows.map(toRecord);
}

export async function listCredentialNames(db: Db, entityId: number): Promise<string[]> {
  const rows = await db.selectFrom('credentials').select('name').where('entity_id', '=', entityId).execute();
  return rows.map((row) => row.name);
}

export async function listCredentials(
  db: Db,
  entityId: number,
  page: PageRequest,
): Promise<{ rows: CredentialRecord[]; total: number }> {
  const query = db.selectFrom('credentials').where('entity_id', '=', entityId);
  const [{ total }] = await query.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await query.selectAll().orderBy('name').limit(page.per_page).offset(offsetOf(page)).execute();
  return { rows: rows.map(toRecord), total: Number(total) };
}

/** Every credential after `afterId` in id order, `limit` at a time (key rotation walks them all). */
export async function credentialsAfter(db: Db, afterId: string, limit: number): Promise<CredentialRecord[]> {
  const rows = await db
    .selectFrom('credentials')
    .selectAll()
    .where('credential_id', '>', afterId)
    .orderBy('credential_id')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

export async function updateCredential(
  db: Db,
  credentialId: string,
  changes: Partial<Pick<CredentialRecord, 'name' | 'type' | 'description' | 'fields' | 'updated_at'>>,
): Promise<void> {
  const { fields, ...rest } = changes;
  await db
    .updateTable('credentials')
    .set({ ...rest, ...(fields ? { fields: JSON.stringify(fields) } : {}) })
    .where('credential_id', '=', credentialId)
    .execute();
}

export async function deleteCredential(db: Db, credentialId: string): Promise<void> {
  await db.deleteFrom('credentials').where('credential_id', '=', credentialId).execute();
}
