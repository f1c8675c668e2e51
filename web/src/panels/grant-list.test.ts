import { describe, expect, it } from 'vitest';
import type { Grant } from '../api/runs-api.ts';
import { grantKey, withFlag, withPending } from './grant-list.ts';

const viewer: Grant = {
  workflow_id: '5b0e4c0e-8a57-4c4e-9d1b-6f4f2a7c9e01',
  permission_type: 'user',
  target_id: '2',
  can_view: true,
  can_edit: false,
  can_delete: false,
  can_execute: true,
  can_manage_permissions: false,
  granted_by: '1',
  created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-01T10:00:00Z',
};
const mods: Grant = { ...viewer, permission_type: 'role', target_id: 'mods' };

describe('withFlag', () => {
  it('changes one flag, keeps the other four, and leaves out what PUT does not take', () => {
    expect(withFlag(viewer, 'can_view', false)).toEqual({
      permission_type: 'user',
      target_id: '2',
      can_view: false,
      can_edit: false,
      can_delete: false,
      can_execute: true,
      can_manage_permissions: false,
    });
  });
});

describe('withPending', () => {
  it('shows the change on its way in place of the stored grant, the others untouched', () => {
    const list = [viewer, mods];
    const shown = withPending(list, withFlag(viewer, 'can_edit', true));
    expect(shown.map((g) => [grantKey(g), g.can_edit])).toEqual([
      ['user 2', true],
      ['role mods', false],
    ]);
    expect(shown[1]).toBe(mods);
    expect(list[0].can_edit).toBe(false);
  });

  it('adds a grant not in the list yet, and is the list itself with nothing pending', () => {
    expect(withPending([mods], viewer).map(grantKey)).toEqual(['role mods', 'user 2']);
    const list = [viewer];
    expect(withPending(list, null)).toBe(list);
  });
});
