/**
 * @module http/routes/permissions
 * Permission grants of a workflow, managed by its owner or a holder of can_manage_permissions.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WorkflowService } from '../../services/workflows.ts';
import { principalOf, workflowOf } from '../access.ts';
import { ok, WorkflowParams } from '../envelope.ts';
import { GrantAnswer, GrantsAnswer, RevokedAnswer } from './workflow-answers.ts';
import { GrantBody, GrantParams } from './workflow-schemas.ts';

const tags = ['permissions'];
const manage = { access: { kind: 'workflow', permission: 'can_manage_permissions' } } as const;

export const permissionRoutes: FastifyPluginAsyncTypebox<{ readonly workflows: WorkflowService }> = async (
  app,
  { workflows },
) => {
  app.get(
    '/api/v1/workflows/:workflow_id/permissions',
    {
      config: manage,
      schema: {
        tags,
        summary: 'List permission grants',
        description: 'Grants that give users, roles or entities flags on this workflow (the owner holds every flag).',
        params: WorkflowParams,
        response: { 200: GrantsAnswer },
      },
    },
    async (request) => ok(await workflows.grants(workflowOf(request))),
  );

  app.put(
    '/api/v1/workflows/:workflow_id/permissions',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Grant permissions',
        description: 'Creates or replaces the grant for one user, role or entity; flags left out are false.',
        params: WorkflowParams,
        body: GrantBody,
        response: { 200: GrantAnswer },
      },
    },
    async (request) => {
      const actor = { principal: principalOf(request), clientIp: request.ip ?? null };
      return ok(await workflows.grant(actor, workflowOf(request), request.body), 'Permission saved');
    },
  );

  app.delete(
    '/api/v1/workflows/:workflow_id/permissions/:permission_type/:target_id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Revoke a grant',
        params: GrantParams,
        response: { 200: RevokedAnswer },
      },
    },
    async (request) => {
      const actor = { principal: principalOf(request), clientIp: request.ip ?? null };
      const { permission_type, target_id } = request.params;
      await workflows.revoke(actor, workflowOf(request), permission_type, target_id);
      return ok({ permission_type, target_id }, 'Permission removed');
    },
  );
};
