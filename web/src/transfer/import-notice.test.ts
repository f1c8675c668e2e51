import { describe, expect, it } from 'vitest';
import type { ImportAnswer } from '../api/reuse-api.ts';
import { noticeLines, noticeOf, rememberImport, takeImportNotice } from './import-notice.ts';

const answer = (missing_credentials: string[], missing_workflows: string[] = []): ImportAnswer => ({
  workflow_id: '5b0e4c0e-8a57-4c4e-9d1b-6f4f2a7c9e01',
  name: '!uptime',
  status: 'draft',
  entity_id: 123,
  community_id: null,
  created_at: '2026-12-01T12:00:00.000Z',
  validation: {
    is_valid: true,
    errors: [],
    warnings: [],
    node_validation_errors: {},
    error_count: 0,
    warning_count: 0,
  },
  missing_credentials,
  missing_workflows,
});

describe('import notice', () => {
  it('says which credentials to create and which workflows to pick', () => {
    const document = {
      credentials: ['uptime_api'],
      nodes: {
        say: { node_type: 'action_chat_message', config: { message: 'hi' } },
        call: { node_type: 'action_webhook', config: { headers: { 'X-Api-Key': '••••••' } } },
      },
    };
    expect(noticeLines(noticeOf(answer(['uptime_api'], ['Child']), document))).toEqual([
      'Create the credentials uptime_api in this entity (Credentials page) before it runs.',
      'It calls workflows this entity lacks (Child): pick them in the nodes that call them.',
      'The export masked secrets (••••••) in call: type them again, or use a credential.',
    ]);
  });

  it('says when every credential it uses is there, or that it uses none', () => {
    expect(noticeLines(noticeOf(answer([]), { nodes: {}, credentials: ['uptime_api'] }))).toEqual([
      'The credentials it uses (uptime_api) exist in this entity: none missing.',
    ]);
    expect(noticeLines(noticeOf(answer([]), { nodes: {} }))).toEqual(['It uses no credentials.']);
  });

  it('is shown once, for the workflow it was made for', () => {
    // The tab's sessionStorage in the browser; a Map's worth of it here.
    const items = new Map<string, string>();
    const store = {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    };
    const notice = noticeOf(answer(['a']), { nodes: {}, credentials: ['a'] });
    rememberImport('w1', notice, store);
    expect(takeImportNotice('w2', store)).toBeNull();
    expect(takeImportNotice('w1', store)).toEqual(notice);
    expect(takeImportNotice('w1', store)).toBeNull();
  });
});
