/**
 * @module services/workflow-transfer
 * Export (the portable document of core/portable.ts), import (a new draft in an entity, with what
 * it refers to that the entity lacks) and the shipped templates (portable documents in
 * templates/ at the package root; creating from one is an import).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { fromPortable, type PortableWorkflow, PortableWorkflowSchema, toPortable } from '../core/portable.ts';
import type { ValidationResult } from '../core/validate.ts';
import { WorkflowSettingsSchema } from '../core/workflow.ts';
import { AppError } from '../errors.ts';
import { calledWorkflowsOf, getNodeType } from '../nodes/registry.ts';
import type { Db } from '../store/database.ts';
import { findWorkflow, findWorkflowIdByName, type WorkflowRecord } from '../store/workflows-repository.ts';
import { type Actor, auditWriter } from './audit-trail.ts';
import type { WorkflowService } from './workflows.ts';

export const TEMPLATES_DIR = new URL('../../templates/', import.meta.url);

export interface ImportInput {
  readonly entity_id: number;
  readonly community_id?: number | null;
  readonly license_key?: string;
  /** Overrides the document's name. */
  readonly name?: string;
  readonly workflow: PortableWorkflow;
}

export interface ImportResult {
  readonly workflow: WorkflowRecord;
  readonly validation: ValidationResult;
  readonly missing_credentials: string[];
  readonly missing_workflows: string[];
}

export interface Template {
  readonly template_id: string;
  readonly name: string;
  readonly description: string;
  readonly trigger_types: string[];
  readonly workflow: PortableWorkflow;
}

function triggerTypesOf(document: PortableWorkflow): string[] {
  const types = Object.values(document.nodes)
    .map((node) => node.node_type)
    .filter((type) => getNodeType(type)?.category === 'trigger');
  return [...new Set(types)].sort();
}

/** Reads and checks the shipped templates once; a broken file is a build error, not a 500 later. */
export function loadTemplates(dir: URL = TEMPLATES_DIR): Template[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as {
        description?: string;
      } & PortableWorkflow;
      if (!Value.Check(PortableWorkflowSchema, parsed)) throw new Error(`template ${file} is not a portable workflow`);
      return {
        template_id: file.replace(/\.json$/, ''),
        name: parsed.name,
        description: parsed.description ?? '',
        trigger_types: triggerTypesOf(parsed),
        workflow: parsed,
      };
    });
}

export function createWorkflowTransfer(deps: { readonly db: Db; readonly workflows: WorkflowService }) {
  const { db, workflows } = deps;
  const audit = auditWriter(() => new Date().toISOString());
  let templates: Template[] | undefined;

  return {
    async exportOf(workflow: WorkflowRecord): Promise<PortableWorkflow> {
      const calls = calledWorkflowsOf(workflow.nodes);
      const ids = new Set(calls.map((call) => call.workflowId));
      if (workflow.settings.error_workflow_id) ids.add(workflow.settings.error_workflow_id);
      const names = new Map<string, string>();
      for (const id of ids) {
        const found = await findWorkflow(db, id);
        // Only this entity's workflows are named: another tenant's name must not leak out.
        if (found && found.entity_id === workflow.entity_id) names.set(id, found.name);
      }
      return toPortable(workflow, calls, names);
    },

    async importInto(actor: Actor, input: ImportInput): Promise<ImportResult> {
      const document = input.workflow;
      const idOf = new Map<string, string>();
      for (const { ref, name } of document.workflows ?? []) {
        const id = name ? await findWorkflowIdByName(db, input.entity_id, name) : undefined;
        if (id) idOf.set(ref, id);
      }
      const { nodes, settings, missingRefs } = fromPortable(document, idOf);
      if (!Value.Check(WorkflowSettingsSchema, settings)) {
        throw new AppError('BAD_REQUEST', 'workflow.settings is not valid workflow settings', {
          errors: [...Value.Errors(WorkflowSettingsSchema, settings)].map((e) => `settings${e.path}: ${e.message}`),
        });
      }
      const created = await workflows.create(actor, {
        name: input.name ?? document.name,
        description: document.description ?? '',
        entity_id: input.entity_id,
        community_id: input.community_id,
        license_key: input.license_key,
        nodes,
        connections: document.connections,
        global_variables: document.global_variables ?? {},
        settings,
      });
      const { result, references } = await workflows.check(created);
      const refNames = new Map((document.workflows ?? []).map((entry) => [entry.ref, entry.name]));
      return {
        workflow: created,
        validation: result,
        missing_credentials: references.missingCredentials,
        missing_workflows: missingRefs.map((ref) => refNames.get(ref) || ref).sort(),
      };
    },

    /** Makes snapshot `version` the working definition: an edit, audited as a restore. */
    async restore(actor: Actor, workflow: WorkflowRecord, version: number): Promise<WorkflowRecord> {
      const { snapshot } = await workflows.version(workflow, version);
      const restored = await workflows.update(actor, workflow, {
        name: snapshot.name,
        description: snapshot.description,
        nodes: snapshot.nodes as WorkflowRecord['nodes'],
        connections: [...snapshot.connections],
        global_variables: { ...snapshot.global_variables },
        settings: snapshot.settings,
      });
      await audit(db, actor, workflow.workflow_id, 'restored', { version });
      return restored;
    },

    templates(): Template[] {
      templates ??= loadTemplates();
      return templates;
    },
  };
}

export type WorkflowTransfer = ReturnType<typeof createWorkflowTransfer>;
