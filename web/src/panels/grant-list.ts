/**
 * @module panels/grant-list
 * The grants list's state changes as plain functions: a grant with one flag changed (in the shape
 * PUT takes), and the list as shown while that change is on its way, so a ticked box shows ticked
 * at once instead of springing back until the server has answered.
 */
import { type Grant, PERMISSION_FLAGS, type PermissionFlag } from '../api/runs-api.ts';

/** What a row shows and PUT takes: who, and the five flags (a Grant also has timestamps and granted_by). */
export type GrantFlags = Pick<Grant, 'permission_type' | 'target_id' | PermissionFlag>;

export const grantKey = (grant: Pick<Grant, 'permission_type' | 'target_id'>) =>
  `${grant.permission_type} ${grant.target_id}`;

/** The grant as PUT takes it, `flag` set to `on` (what the list adds, timestamps and granted_by, left out). */
export function withFlag(grant: GrantFlags, flag: PermissionFlag, on: boolean): GrantFlags {
  const out: Record<string, unknown> = { permission_type: grant.permission_type, target_id: grant.target_id };
  for (const f of PERMISSION_FLAGS) out[f] = f === flag ? on : grant[f];
  return out as GrantFlags;
}

/** `list` with `pending` in place of the grant it changes (added at the end when it is new). */
export function withPending(list: readonly GrantFlags[], pending: GrantFlags | null): readonly GrantFlags[] {
  if (!pending) return list;
  const key = grantKey(pending);
  if (!list.some((grant) => grantKey(grant) === key)) return [...list, pending];
  return list.map((grant) => (grantKey(grant) === key ? { ...grant, ...pending } : grant));
}
