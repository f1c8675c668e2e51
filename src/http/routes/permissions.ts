/**
 * @module http/routes/permissions
 * Permission grants of a workflow, managed by its owner or a holder of can_manage_permissions.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WorkflowService } from '../../services/workflows.ts';
import { principalOf, workflowOf } from '../access.ts';
import { ok, WorkflowParams } from '../envelope.ts';
import { GrantBody, GrantParams } from './workflow-schemas.ts';

const tags = ['permissions'];
const manage = { access: { kind: 'workflow', permission: 'can_manage_permissions' } } as const;

export const permissionRoutes: FastifyPluginAsyncTypebox<{ readonly workflows: WorkflowService }> = async (
  app,
  { workflows },
) => {
  app.get(
    '/api/v1/workflows/:workflow_id/permissions',
    { config: manage, schema: { tags, params: WorkflowParams } },
    async (request) => ok(await workflows.grants(workflowOf(request))),
  );

  app.put(
    '/api/v1/workflows/:workflow_id/permissions',
    { config: manage, schema: { tags, params: WorkflowParams, body: GrantBody } },
    async (request) => {
      const actor = { principal: principalOf(request), clientIp: request.ip ?? null };
      return ok(await workflows.grant(actor, workflowOf(request), request.body), 'Permission saved');
    },
  );

  app.delete(
    '/api/v1/workflows/:workflow_id/permissions/:permission_type/:target_id',
    { config: manage, schema: { tags, params: GrantParams } },
    async (request) => {
      const actor = { principal: principalOf(request), clientIp: request.ip ?? null };
      const { permission_type, target_id } = request.params;
      await workflows.revoke(actor, workflowOf(request), permission_type, target_id);
      return ok({ permission_type, target_id }, 'Permission removed');
    },
  );
};
