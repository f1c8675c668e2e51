import { describe, expect, it } from 'vitest';
import { describeAudit, flagName } from './audit-details.ts';

describe('describeAudit', () => {
  it('names the grant and splits its flags into allowed and not', () => {
    const text = describeAudit('permission_granted', {
      permission_type: 'user',
      target_id: '2',
      can_view: true,
      can_edit: false,
      can_delete: false,
      can_execute: true,
      can_manage_permissions: false,
    });
    expect(text).toEqual({
      title: 'Grant set',
      details: 'user 2: may view, execute; may not edit, delete, manage permissions',
    });
  });

  it('says so when a grant allows nothing, and lists only the flags the request named', () => {
    expect(
      describeAudit('permission_granted', { permission_type: 'role', target_id: 'mods', can_view: false }).details,
    ).toBe('role mods: may do nothing; may not view');
    expect(
      describeAudit('permission_granted', { permission_type: 'entity', target_id: '123', can_edit: true }).details,
    ).toBe('entity 123: may edit');
  });

  it('names a removed grant', () => {
    expect(describeAudit('permission_revoked', { permission_type: 'user', target_id: '2' })).toEqual({
      title: 'Grant removed',
      details: 'user 2: no grant any more',
    });
  });

  it('says what was set on a webhook, without its own updated_at', () => {
    const id = '1a2b3c4d-0000-4000-8000-000000000000';
    expect(
      describeAudit('webhook.update', { webhook_id: id, enabled: false, updated_at: '2026-12-01T10:00:00Z' }),
    ).toEqual({ title: 'Webhook changed', details: 'webhook 1a2b3c4d: disabled' });
    expect(
      describeAudit('webhook.update', { webhook_id: id, rate_limit_max: 10, ip_allowlist: ['10.0.0.0/8'] }).details,
    ).toBe('webhook 1a2b3c4d: rate limit max: 10, ip allowlist: 10.0.0.0/8');
    expect(describeAudit('webhook.rotate_secret', { webhook_id: id, updated_at: 'x' }).details).toBe(
      'webhook 1a2b3c4d: new signing secret',
    );
    expect(describeAudit('webhook.create', { webhook_id: id, name: 'GitHub' })).toEqual({
      title: 'Webhook created',
      details: 'webhook “GitHub”',
    });
  });

  it('describes the workflow actions', () => {
    expect(describeAudit('created', { name: 'Greeter' }).details).toBe('as “Greeter”');
    expect(describeAudit('updated', { fields: ['nodes', 'connections'] }).details).toBe('changed nodes, connections');
    expect(describeAudit('published', { version: 3 })).toEqual({ title: 'Version published', details: 'version 3' });
    expect(describeAudit('archived', {})).toEqual({ title: 'Workflow archived', details: '' });
  });

  it('keeps what it does not know as key: value', () => {
    expect(describeAudit('workflow.transfer', { to_entity: 7, note: 'moved' })).toEqual({
      title: 'workflow transfer',
      details: 'to entity: 7; note: moved',
    });
    expect(describeAudit('created', null).details).toBe('');
  });
});

describe('flagName', () => {
  it('drops the can_ prefix', () => {
    expect(flagName('can_manage_permissions')).toBe('manage permissions');
  });
});
