/**
 * @module services/credentials
 * An entity's credentials: members create, list, update and delete them; values are write-only
 * (answers carry field names, never values) and sealed at rest. Runs load the ones their
 * definition refers to, opened in memory only (see `forRun`).
 */
import { randomUUID } from 'node:crypto';
import { credentialNames } from '../core/credential-refs.ts';
import { mayActInEntity, type Principal } from '../core/permissions.ts';
import type { WorkflowNode } from '../core/workflow.ts';
import { AppError } from '../errors.ts';
import {
  type CredentialRecord,
  credentialsAfter,
  deleteCredential,
  findCredential,
  findCredentialByName,
  findCredentialsByNames,
  insertCredential,
  listCredentialNames,
  listCredentials,
  type SealedValue,
  updateCredential,
} from '../store/credentials-repository.ts';
import type { Db } from '../store/database.ts';
import { type PageRequest, paginationOf } from '../store/pagination.ts';
import type { Keyring } from './credential-cipher.ts';

export interface CredentialInput {
  readonly entity_id: number;
  readonly name: string;
  readonly type: string;
  readonly description?: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface CredentialChanges {
  readonly name?: string;
  readonly type?: string;
  readonly description?: string;
  /** A string sets the field, null removes it; fields not named stay as they are. */
  readonly fields?: Readonly<Record<string, string | null>>;
}

/** Opened values of the credentials one run refers to: name -> field -> value. */
export type RunCredentials = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** What answers show: everything but the values. */
export function credentialView(record: CredentialRecord) {
  return {
    credential_id: record.credential_id,
    entity_id: record.entity_id,
    name: record.name,
    type: record.type,
    description: record.description,
    fields: Object.keys(record.fields).sort(),
    created_by: record.created_by,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

const contextOf = (credentialId: string, field: string) => `${credentialId}/${field}`;

export function createCredentialService(deps: { db: Db; keyring: Keyring; now?: () => Date }) {
  const { db, keyring } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  function seal(credentialId: string, fields: Readonly<Record<string, string>>): Record<string, SealedValue> {
    return Object.fromEntries(
      Object.entries(fields).map(([field, value]) => [field, keyring.seal(value, contextOf(credentialId, field))]),
    );
  }

  async function refuseTakenName(entityId: number, name: string, except?: string): Promise<void> {
    const taken = await findCredentialByName(db, entityId, name);
    if (taken && taken.credential_id !== except) {
      throw new AppError('CONFLICT', `A credential named '${name}' already exists in entity ${entityId}`, {
        name,
      });
    }
  }

  return {
    /** The credential if the caller belongs to its entity; else the same 404 as for an unknown id. */
    async authorize(principal: Principal, credentialId: string): Promise<CredentialRecord> {
      const found = await findCredential(db, credentialId);
      if (!found || !mayActInEntity(principal, found.entity_id)) {
        throw new AppError('NOT_FOUND', 'Credential not found');
      }
      return found;
    },

    async create(principal: Principal, input: CredentialInput): Promise<CredentialRecord> {
      await refuseTakenName(input.entity_id, input.name);
      const at = now();
      const credentialId = randomUUID();
      const record: CredentialRecord = {
        credential_id: credentialId,
        entity_id: input.entity_id,
        name: input.name,
        type: input.type,
        description: input.description ?? '',
        fields: seal(credentialId, input.fields),
        created_by: principal.userId,
        created_at: at,
        updated_at: at,
      };
      try {
        await insertCredential(db, record);
      } catch (error) {
        // Two creates racing for one name: the unique key decides.
        if (await findCredentialByName(db, input.entity_id, input.name))
          await refuseTakenName(input.entity_id, input.name);
        throw error;
      }
      return record;
    },

    async list(entityId: number, page: PageRequest) {
      const { rows, total } = await listCredentials(db, entityId, page);
      return { rows, pagination: paginationOf(page, total) };
    },

    async update(record: CredentialRecord, changes: CredentialChanges): Promise<CredentialRecord> {
      if (changes.name !== undefined) await refuseTakenName(record.entity_id, changes.name, record.credential_id);
      let fields: Record<string, SealedValue> | undefined;
      if (changes.fields) {
        fields = { ...record.fields };
        for (const [field, value] of Object.entries(changes.fields)) {
          if (value === null) delete fields[field];
          else fields[field] = keyring.seal(value, contextOf(record.credential_id, field));
        }
      }
      const updated: CredentialRecord = {
        ...record,
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.type !== undefined ? { type: changes.type } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(fields ? { fields } : {}),
        updated_at: now(),
      };
      await updateCredential(db, record.credential_id, {
        name: updated.name,
        type: updated.type,
        description: updated.description,
        fields,
        updated_at: updated.updated_at,
      });
      return updated;
    },

    async remove(record: CredentialRecord): Promise<void> {
      await deleteCredential(db, record.credential_id);
    },

    names: (entityId: number) => listCredentialNames(db, entityId),

    /** The opened values of the credentials `nodes` refer to (unknown names are left out). */
    async forRun(entityId: number | null, nodes: Readonly<Record<string, WorkflowNode>>): Promise<RunCredentials> {
      const names = credentialNames(nodes);
      if (entityId === null || names.length === 0) return {};
      const found = await findCredentialsByNames(db, entityId, names);
      return Object.fromEntries(
        found.map((record) => [
          record.name,
          Object.fromEntries(
            Object.entries(record.fields).map(([field, sealed]) => [
              field,
              keyring.open(sealed, contextOf(record.credential_id, field)),
            ]),
          ),
        ]),
      );
    },

    /**
     * Re-seals every value not under the current key (a rotation: the old key is still on the
     * ring). Answers how many values were re-sealed; values whose key is gone are left alone.
     */
    async reseal(batchSize = 100): Promise<number> {
      let after = '';
      let count = 0;
      for (;;) {
        const batch = await credentialsAfter(db, after, batchSize);
        if (batch.length === 0) return count;
        for (const record of batch) {
          const stale = Object.entries(record.fields).filter(
            ([, sealed]) => sealed.key_id !== keyring.currentId && keyring.canOpen(sealed),
          );
          if (stale.length === 0) continue;
          const fields = { ...record.fields };
          for (const [field, sealed] of stale) {
            const context = contextOf(record.credential_id, field);
            fields[field] = keyring.seal(keyring.open(sealed, context), context);
          }
          await updateCredential(db, record.credential_id, { fields });
          count += stale.length;
        }
        after = batch[batch.length - 1].credential_id;
      }
    },
  };
}

export type CredentialService = ReturnType<typeof createCredentialService>;
