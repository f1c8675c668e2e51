import { describe, expect, it } from 'vitest';
import type { Credential } from '../api/reuse-api.ts';
import {
  addField,
  createBody,
  draftOf,
  draftProblems,
  emptyDraft,
  MAX_FIELDS,
  removeField,
  setField,
  updateBody,
} from './credential-draft.ts';

const stored: Credential = {
  credential_id: '5b0e4c0e-8a57-4c4e-9d1b-6f4f2a7c9e01',
  entity_id: 123,
  name: 'uptime_api',
  type: 'api_key',
  description: '',
  fields: ['token', 'user'],
  created_by: '1',
  created_at: '2026-12-01T10:00:00.000Z',
  updated_at: '2026-12-01T10:00:00.000Z',
};

describe('credential draft', () => {
  it('creates from a filled draft, and says what is missing otherwise', () => {
    let draft = emptyDraft();
    expect(draftProblems(draft, true)).toEqual([
      'Name: letters, digits, _ and -, starting with a letter or _ (at most 64 characters).',
      'Field token needs a value.',
    ]);
    draft = setField({ ...draft, name: 'uptime_api' }, draft.fields[0].key, { value: 's3cret' });
    expect(draftProblems(draft, true)).toEqual([]);
    expect(createBody(draft, 123)).toEqual({
      entity_id: 123,
      name: 'uptime_api',
      type: 'api_key',
      fields: { token: 's3cret' },
    });
  });

  it('refuses duplicate and malformed field names, a bad type, and no fields', () => {
    let draft = addField({ ...emptyDraft(), name: 'x', type: 'Bad Type' });
    draft = setField(draft, draft.fields[0].key, { value: 'a' });
    draft = setField(draft, draft.fields[1].key, { name: 'token', value: 'bbb' });
    draft = addField(draft);
    draft = setField(draft, draft.fields[2].key, { name: 'has space', value: 'ccc' });
    expect(draftProblems(draft, true)).toEqual([
      'Type: lower-case letters, digits and _, starting with a letter.',
      'Field token: at least 3 characters.',
      'Field token appears twice.',
      'Field has space: use letters, digits, _ and -.',
    ]);
    const none = draft.fields.reduce((d, f) => removeField(d, f.key), draft);
    expect(draftProblems(none, true)).toContain('Add at least one field.');
  });

  it('updates only what changed: typed values, removed fields as null, blank values kept', () => {
    const draft = draftOf(stored);
    expect(draft.fields.map((f) => [f.name, f.value])).toEqual([
      ['token', ''],
      ['user', ''],
    ]);
    // Values are write-only: a stored field may stay blank.
    expect(draftProblems(draft, false)).toEqual([]);
    expect(updateBody(stored, draft)).toBeNull();
    const edited = removeField(setField(draft, draft.fields[0].key, { value: 'new' }), draft.fields[1].key);
    expect(updateBody(stored, { ...edited, description: 'the uptime API' })).toEqual({
      description: 'the uptime API',
      fields: { token: 'new', user: null },
    });
  });

  it('treats a renamed stored field as a new one that needs a value', () => {
    const draft = draftOf(stored);
    const renamed = setField(draft, draft.fields[1].key, { name: 'login' });
    expect(draftProblems(renamed, false)).toEqual(['Field login needs a value.']);
    const filled = setField(renamed, draft.fields[1].key, { value: 'me' });
    expect(updateBody(stored, { ...filled, name: 'uptime' })).toEqual({
      name: 'uptime',
      fields: { login: 'me', user: null },
    });
  });

  it('stops adding fields at the API limit', () => {
    let draft = emptyDraft();
    for (let i = 0; i < MAX_FIELDS + 5; i++) draft = addField(draft);
    expect(draft.fields).toHaveLength(MAX_FIELDS);
  });
});
