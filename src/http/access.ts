/**
 * @module http/access
 * Every route declares who may call it in its `config.access`; this module enforces it in one
 * place. Authentication runs first (401 before any 400), the workflow permission after request
 * validation (so a malformed id is 400, a hidden one 404, a missing flag 403).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/jwt.ts';
import { DISPATCH_SCOPE, hasScope, mayActInEntity, type PermissionFlag, type Principal } from '../core/permissions.ts';
import type { WorkflowNode } from '../core/workflow.ts';
import { AppError } from '../errors.ts';
import { maskSecretConfig } from '../nodes/secret-config.ts';
import type { AuthorizedWorkflow } from '../services/access.ts';
import type { Actor } from '../services/audit-trail.ts';
import type { CredentialRecord } from '../store/credentials-repository.ts';
import type { WorkflowRecord } from '../store/workflows-repository.ts';

export type Access =
  | { readonly kind: 'public' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'dispatch' }
  /** `:workflow_id` in the path, checked for this flag. */
  | { readonly kind: 'workflow'; readonly permission: PermissionFlag }
  /** `:execution_id` in the path: the flag on the execution's workflow. */
  | { readonly kind: 'execution'; readonly permission: PermissionFlag }
  /** `entity_id` in the query or body: the caller belongs to that entity (or holds workflows:admin). */
  | { readonly kind: 'entity' }
  /** `:credential_id` in the path: a credential of an entity the caller belongs to. */
  | { readonly kind: 'credential' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
    workflow: WorkflowRecord | null;
    permissions: ReadonlySet<PermissionFlag> | null;
    credential: CredentialRecord | null;
  }
}

export interface AccessResolvers {
  /** The workflow and permissions behind an execution, or a 404 EXECUTION_NOT_FOUND. */
  execution?(principal: Principal, executionId: string, needed: PermissionFlag): Promise<AuthorizedWorkflow>;
  workflow(principal: Principal, workflowId: string, needed: PermissionFlag): Promise<AuthorizedWorkflow>;
  /** The credential if the caller belongs to its entity, or a 404 NOT_FOUND. */
  credential?(principal: Principal, credentialId: string): Promise<CredentialRecord>;
}

export interface RouteAccess {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
}

const kScopeAccess = Symbol('scopeAccess');

/**
 * Routes registered inside `scope` (and the plugins it registers) without an access rule of their
 * own get `access`: for third-party plugins (the /docs UI) whose routes cannot declare one.
 */
export function setScopeAccess(scope: FastifyInstance, access: Access): void {
  (scope as unknown as Record<symbol, Access>)[kScopeAccess] = access;
}

function accessOf(request: FastifyRequest): Access | undefined {
  return request.routeOptions.config?.access;
}

export function registerAccessControl(
  app: FastifyInstance,
  authenticator: Authenticator,
  resolvers: AccessResolvers,
): RouteAccess[] {
  const table: RouteAccess[] = [];
  app.decorateRequest('principal', null);
  app.decorateRequest('workflow', null);
  app.decorateRequest('permissions', null);
  app.decorateRequest('credential', null);

  app.addHook('onRoute', function onRoute(this: FastifyInstance, route) {
    // Child scopes inherit from their parent's object, so a scope's rule reaches nested plugins.
    const inherited = (this as unknown as Record<symbol, Access | undefined>)[kScopeAccess];
    const access = (route.config as { access?: Access } | undefined)?.access ?? inherited;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access rule`);
    if (inherited && !route.config?.access) route.config = { ...route.config, access };
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') table.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = accessOf(request);
    if (!access || access.kind === 'public') return;
    request.principal = await authenticator.verify(request.headers.authorization);
    if (access.kind === 'dispatch' && !hasScope(request.principal, DISPATCH_SCOPE)) {
      throw new AppError('FORBIDDEN', `Token scope must include ${DISPATCH_SCOPE}`);
    }
  });

  app.addHook('preHandler', async (request) => {
    const access = accessOf(request);
    if (!access || !request.principal) return;
    const params = request.params as Record<string, string>;
    let authorized: AuthorizedWorkflow | undefined;
    if (access.kind === 'workflow') {
      authorized = await resolvers.workflow(request.principal, params.workflow_id, access.permission);
    } else if (access.kind === 'execution') {
      if (!resolvers.execution) throw new AppError('NOT_FOUND', 'Executions are not available');
      authorized = await resolvers.execution(request.principal, params.execution_id, access.permission);
    } else if (access.kind === 'entity') {
      const entityId = entityIdOf(request);
      if (!mayActInEntity(request.principal, entityId)) {
        throw new AppError('FORBIDDEN', `Not a member of entity ${entityId}`, { entity_id: entityId });
      }
    } else if (access.kind === 'credential') {
      if (!resolvers.credential) throw new AppError('NOT_FOUND', 'Credential not found');
      request.credential = await resolvers.credential(request.principal, params.credential_id);
    }
    if (authorized) {
      request.workflow = authorized.workflow;
      request.permissions = authorized.permissions;
    }
  });
  return table;
}

/** For handlers behind a workflow/execution access rule: the workflow the rule loaded. */
export function workflowOf(request: FastifyRequest): WorkflowRecord {
  if (!request.workflow) throw new Error('route has no workflow access rule');
  return request.workflow;
}

/** The entity an `entity` access rule checks: `entity_id` of the body, else of the query. */
/** Secret config values are for editors; everyone else reads them masked. */
export function readableNodes(request: FastifyRequest, nodes: Readonly<Record<string, WorkflowNode>>) {
  return request.permissions?.has('can_edit') ? nodes : maskSecretConfig(nodes);
}

export function entityIdOf(request: FastifyRequest): number {
  const fromBody = (request.body as { entity_id?: unknown } | undefined)?.entity_id;
  const fromQuery = (request.query as { entity_id?: unknown } | undefined)?.entity_id;
  const value = fromBody ?? fromQuery;
  if (typeof value !== 'number') throw new AppError('BAD_REQUEST', 'entity_id is required');
  return value;
}

/** For handlers behind a credential access rule: the credential the rule loaded. */
export function credentialOf(request: FastifyRequest): CredentialRecord {
  if (!request.credential) throw new Error('route has no credential access rule');
  return request.credential;
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route has no authenticated access rule');
  return request.principal;
}

/** Who acts, as the services record and check it: the caller and the address the call came from. */
export function actorOf(request: FastifyRequest): Actor {
  return { principal: principalOf(request), clientIp: request.ip ?? null };
}
