/**
 * @module api/types
 * Wire shapes of the workflow routes, as the server declares them: each is the static type of the
 * TypeBox schema the route answers (or is called) with, so the editor and the API cannot drift
 * apart. Type imports only: nothing of the server is bundled.
 */
import type { Static } from '@sinclair/typebox';
import type { ValidationResult } from '../../../src/core/validate.ts';
import type {
  Connection,
  RetryPolicy,
  WorkflowNode,
  WorkflowSettings,
  WorkflowStatus,
} from '../../../src/core/workflow.ts';
import type { TestResultSchema, TraceEntrySchema } from '../../../src/http/routes/execution-answers.ts';
import type {
  UpdatedSchema,
  VersionSnapshotSchema,
  VersionSummarySchema,
  WorkflowSummarySchema,
  WorkflowViewSchema,
} from '../../../src/http/routes/workflow-answers.ts';
import type { NodeTypeInfoSchema } from '../../../src/nodes/registry.ts';
import type { TestRequestSchema } from '../../../src/services/execute-request.ts';

export type { Connection, RetryPolicy, WorkflowNode, WorkflowSettings, WorkflowStatus };

/** `GET /workflows` items. */
export type WorkflowSummary = Static<typeof WorkflowSummarySchema>;

/** `GET /workflows/{id}`: the workflow with its working definition. */
export type WorkflowView = Static<typeof WorkflowViewSchema>;

/** What the editor owns and autosaves: the working definition. */
export type WorkflowDefinition = Pick<WorkflowView, 'nodes' | 'connections'>;

/** `PUT /workflows/{id}`. */
export type UpdateAnswer = Static<typeof UpdatedSchema>;

/** `GET /workflows/node-types` items. */
export type NodeTypeInfo = Static<typeof NodeTypeInfoSchema>;

/** `/validate` and a refused publish: messages, and per node the messages about it. */
export type { ValidationResult };

export type TraceEntry = Static<typeof TraceEntrySchema>;
/** `POST /workflows/{id}/test`: the finished dry run. */
export type TestAnswer = Static<typeof TestResultSchema>;
export type TestRequest = Static<typeof TestRequestSchema>;

/** `GET /workflows/{id}/versions` items. */
export type VersionSummary = Static<typeof VersionSummarySchema>;
/** `GET /workflows/{id}/versions/{version}`: the published snapshot. */
export type VersionSnapshot = Static<typeof VersionSnapshotSchema>;
