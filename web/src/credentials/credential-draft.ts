/**
 * @module credentials/credential-draft
 * The credential form's state as plain data: name, type, description and field rows. It turns
 * into the body of a create or an update (values are write-only: a blank value on an existing
 * field keeps the stored one, a removed row deletes it), or into messages saying what to fix.
 */
import { CREDENTIAL_NAME_PATTERN } from '../../../src/core/credential-refs.ts';
import { MIN_SECRET_LENGTH } from '../../../src/core/redact.ts';
import type { Credential, CredentialUpdate, NewCredential } from '../api/reuse-api.ts';

const NAME = new RegExp(CREDENTIAL_NAME_PATTERN);
const TYPE = /^[a-z][a-z0-9_]{0,63}$/;
export const MAX_FIELDS = 50;
export const MAX_VALUE_LENGTH = 16_384;

export interface FieldRow {
  /** Stable row key for React, not sent. */
  readonly key: number;
  readonly name: string;
  readonly value: string;
  /** The name this field has on the server (its value stays unless a new one is typed); null if new. */
  readonly storedAs: string | null;
}

export interface CredentialDraft {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly fields: readonly FieldRow[];
}

export const CREDENTIAL_TYPES = ['api_key', 'bearer_token', 'basic_auth', 'oauth2', 'webhook_secret'] as const;

let nextKey = 1;
const row = (name: string, storedAs: string | null): FieldRow => ({ key: nextKey++, name, value: '', storedAs });
/** Whether the row is a stored field under its stored name (a blank value keeps the stored one). */
export const isStored = (field: FieldRow) => field.storedAs !== null && field.storedAs === field.name;

export function emptyDraft(): CredentialDraft {
  return { name: '', type: 'api_key', description: '', fields: [row('token', null)] };
}

/** A stored credential as a draft: its field names, no values (the server never answers them). */
export function draftOf(credential: Credential): CredentialDraft {
  return {
    name: credential.name,
    type: credential.type,
    description: credential.description,
    fields: credential.fields.map((name) => row(name, name)),
  };
}

export function addField(draft: CredentialDraft): CredentialDraft {
  if (draft.fields.length >= MAX_FIELDS) return draft;
  return { ...draft, fields: [...draft.fields, row('', null)] };
}

export function removeField(draft: CredentialDraft, key: number): CredentialDraft {
  return { ...draft, fields: draft.fields.filter((f) => f.key !== key) };
}

export function setField(draft: CredentialDraft, key: number, change: Partial<Pick<FieldRow, 'name' | 'value'>>) {
  return { ...draft, fields: draft.fields.map((f) => (f.key === key ? { ...f, ...change } : f)) };
}

/** What is wrong with the draft, one message per problem; empty when it can be sent. */
export function draftProblems(draft: CredentialDraft, creating: boolean): string[] {
  const problems: string[] = [];
  if (!NAME.test(draft.name))
    problems.push('Name: letters, digits, _ and -, starting with a letter or _ (at most 64 characters).');
  if (!TYPE.test(draft.type)) problems.push('Type: lower-case letters, digits and _, starting with a letter.');
  if (draft.fields.length === 0) problems.push('Add at least one field.');
  const seen = new Set<string>();
  for (const field of draft.fields) {
    const label = field.name || '(unnamed)';
    if (!NAME.test(field.name)) problems.push(`Field ${label}: use letters, digits, _ and -.`);
    else if (seen.has(field.name)) problems.push(`Field ${field.name} appears twice.`);
    seen.add(field.name);
    if ((creating || !isStored(field)) && field.value === '') problems.push(`Field ${label} needs a value.`);
    // Shorter values could not be redacted wherever they appear, so the server refuses them.
    else if (field.value !== '' && field.value.length < MIN_SECRET_LENGTH)
      problems.push(`Field ${label}: at least ${MIN_SECRET_LENGTH} characters.`);
    if (field.value.length > MAX_VALUE_LENGTH) problems.push(`Field ${label}: at most ${MAX_VALUE_LENGTH} characters.`);
  }
  return problems;
}

export function createBody(draft: CredentialDraft, entityId: number): NewCredential {
  return {
    entity_id: entityId,
    name: draft.name,
    type: draft.type,
    ...(draft.description ? { description: draft.description } : {}),
    fields: Object.fromEntries(draft.fields.map((f) => [f.name, f.value])),
  };
}

/**
 * The update for `stored`: changed name, type, description; typed values; null for stored fields
 * no longer listed. A stored field renamed is a removal plus a new field (it needs a value). Null
 * when nothing changes.
 */
export function updateBody(stored: Credential, draft: CredentialDraft): CredentialUpdate | null {
  const fields: Record<string, string | null> = {};
  for (const field of draft.fields) if (field.value !== '') fields[field.name] = field.value;
  const kept = new Set(draft.fields.map((f) => f.name));
  for (const name of stored.fields) if (!kept.has(name)) fields[name] = null;
  const body: { -readonly [K in keyof CredentialUpdate]: CredentialUpdate[K] } = {};
  if (draft.name !== stored.name) body.name = draft.name;
  if (draft.type !== stored.type) body.type = draft.type;
  if (draft.description !== stored.description) body.description = draft.description;
  if (Object.keys(fields).length) body.fields = fields;
  return Object.keys(body).length ? body : null;
}
