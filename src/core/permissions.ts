/**
 * @module core/permissions
 * Who may do what to a workflow (PRODUCT.md §2): the owner holds every flag; user, role and
 * entity grants add flags one by one. Ids compare as strings, so a token's `user_id: 42` matches
 * a grant for "42".
 */

export const PERMISSION_FLAGS = [
  'can_view',
  'can_edit',
  'can_delete',
  'can_execute',
  'can_manage_permissions',
] as const;
export type PermissionFlag = (typeof PERMISSION_FLAGS)[number];

export const GRANT_TYPES = ['user', 'role', 'entity'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export const DISPATCH_SCOPE = 'workflows:dispatch';
/** Acts in any entity (operators, provisioning services). */
export const ADMIN_SCOPE = 'workflows:admin';

export interface Principal {
  readonly userId: string;
  readonly username: string | null;
  readonly roles: readonly string[];
  readonly entities: readonly string[];
  readonly scopes: readonly string[];
}

export interface Grant {
  readonly permission_type: GrantType;
  readonly target_id: string;
  readonly can_view: boolean;
  readonly can_edit: boolean;
  readonly can_delete: boolean;
  readonly can_execute: boolean;
  readonly can_manage_permissions: boolean;
}

export interface OwnedResource {
  readonly created_by: string;
  readonly entity_id: number | string;
}

/** Does this grant row apply to this caller for this workflow? */
function grantApplies(grant: Grant, principal: Principal, resource: OwnedResource): boolean {
  switch (grant.permission_type) {
    case 'user':
      return grant.target_id === principal.userId;
    case 'role':
      return principal.roles.includes(grant.target_id);
    case 'entity': {
      const entity = String(resource.entity_id);
      return grant.target_id === entity && principal.entities.includes(entity);
    }
    default:
      return false;
  }
}

export function effectivePermissions(
  principal: Principal,
  resource: OwnedResource,
  grants: readonly Grant[],
): ReadonlySet<PermissionFlag> {
  if (resource.created_by === principal.userId) return new Set(PERMISSION_FLAGS);
  const held = new Set<PermissionFlag>();
  for (const grant of grants) {
    if (!grantApplies(grant, principal, resource)) continue;
    for (const flag of PERMISSION_FLAGS) if (grant[flag]) held.add(flag);
  }
  return held;
}

/** Tenants (PRODUCT.md §2): a workflow is created only inside an entity the caller belongs to. */
export function mayActInEntity(principal: Principal, entityId: number | string): boolean {
  return principal.entities.includes(String(entityId)) || hasScope(principal, ADMIN_SCOPE);
}

export function hasScope(principal: Principal, scope: string): boolean {
  return principal.scopes.includes(scope);
}
