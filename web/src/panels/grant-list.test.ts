import { describe, expect, it } from 'vitest';
import type { Grant } from '../api/runs-api.ts';
import { grantKey, settledOut, withChange, withFlag, withPending } from './grant-list.ts';

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
    const shown = withPending(list, withChange(new Map(), withFlag(viewer, 'can_edit', true)));
    expect(shown.map((g) => [grantKey(g), g.can_edit])).toEqual([
      ['user 2', true],
      ['role mods', false],
    ]);
    expect(shown[1]).toBe(mods);
    expect(list[0].can_edit).toBe(false);
  });

  it('keeps the latest change of each grant, two grants at once', () => {
    let pending = withChange(new Map(), withFlag(viewer, 'can_edit', true));
    pending = withChange(pending, withFlag(withFlag(viewer, 'can_edit', true), 'can_delete', true));
    pending = withChange(pending, withFlag(mods, 'can_execute', false));
    const shown = withPending([viewer, mods], pending);
    expect(shown.map((g) => [grantKey(g), g.can_edit, g.can_delete, g.can_execute])).toEqual([
      ['user 2', true, true, viewer.can_execute],
      ['role mods', mods.can_edit, mods.can_delete, false],
    ]);
  });

  it('adds a grant not in the list yet, and is the list itself with nothing pending', () => {
    expect(withPending([mods], withChange(new Map(), viewer)).map(grantKey)).toEqual(['role mods', 'user 2']);
    const list = [viewer];
    expect(withPending(list, new Map())).toBe(list);
  });
});

describe('settledOut', () => {
  it('drops only the grants with nothing on its way, and is the same map when all are busy', () => {
    const pending = withChange(withChange(new Map(), viewer), mods);
    expect([...settledOut(pending, new Set([grantKey(mods)])).keys()]).toEqual([grantKey(mods)]);
    expect(settledOut(pending, new Set([grantKey(viewer), grantKey(mods)]))).toBe(pending);
    expect(settledOut(pending, new Set()).size).toBe(0);
  });
});
