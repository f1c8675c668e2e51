/**
 * @module http/access
 * Every route declares who may call it in its `config.access`; this module enforces it in one
 * place. Authentication runs first (401 before any 400), the workflow permission after request
 * validation (so a malformed id is 400, a hidden one 404, a missing flag 403).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DISPATCH_SCOPE, hasScope, type PermissionFlag, type Principal } from '../core/permissions.ts';
import { AppError } from '../errors.ts';
import type { AuthorizedWorkflow } from '../services/access.ts';
import type { WorkflowRecord } from '../store/workflows-repository.ts';
import type { Authenticator } from './auth.ts';

export type Access =
  | { readonly kind: 'public' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'dispatch' }
  /** `:workflow_id` in the path, checked for this flag. */
  | { readonly kind: 'workflow'; readonly permission: PermissionFlag }
  /** `:execution_id` in the path: the flag on the execution's workflow. */
  | { readonly kind: 'execution'; readonly permission: PermissionFlag };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
    workflow: WorkflowRecord | null;
    permissions: ReadonlySet<PermissionFlag> | null;
  }
}

export interface AccessResolvers {
  /** The workflow and permissions behind an execution, or a 404 EXECUTION_NOT_FOUND. */
  execution?(principal: Principal, executionId: string, needed: PermissionFlag): Promise<AuthorizedWorkflow>;
  workflow(principal: Principal, workflowId: string, needed: PermissionFlag): Promise<AuthorizedWorkflow>;
}

export interface RouteAccess {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
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

  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: Access } | undefined)?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access rule`);
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

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route has no authenticated access rule');
  return request.principal;
}
