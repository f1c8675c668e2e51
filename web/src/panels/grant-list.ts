/**
 * @module panels/grant-list
 * The grants list's state changes as plain functions: a grant with one flag changed (in the shape
 * PUT takes), and the list as shown while changes are on their way, so a ticked box shows ticked
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

/** Changes on their way, the latest per grant. */
export type PendingGrants = ReadonlyMap<string, GrantFlags>;

export const withChange = (pending: PendingGrants, grant: GrantFlags): PendingGrants =>
  new Map(pending).set(grantKey(grant), grant);

/** `pending` without the grants whose changes have all been answered (`busy`: keys still on their way). */
export function settledOut(pending: PendingGrants, busy: ReadonlySet<string>): PendingGrants {
  if ([...pending.keys()].every((key) => busy.has(key))) return pending;
  return new Map([...pending].filter(([key]) => busy.has(key)));
}

/** `list` with each pending change in place of the grant it changes (added at the end when it is new). */
export function withPending(list: readonly GrantFlags[], pending: PendingGrants): readonly GrantFlags[] {
  if (pending.size === 0) return list;
  const shown = list.map((grant) => pending.get(grantKey(grant)) ?? grant);
  const known = new Set(list.map(grantKey));
  return [...shown, ...[...pending].filter(([key]) => !known.has(key)).map(([, grant]) => grant)];
}
