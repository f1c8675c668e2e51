/**
 * @module scheduler/registration
 * Keeps the schedules table in step with the latest published snapshot, inside the publish or
 * archive transaction. A schedule is keyed by (workflow_id, node_id). Republishing a node with
 * the same cron and timezone keeps its row, its next slot and its counters (run_count counts
 * toward max_executions across versions); changing the cron or timezone makes it a new schedule
 * (new schedule_id, counters from zero, next slot from now). Disabled nodes do not fire.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowNode } from '../core/workflow.ts';
import { enabledTriggers } from '../nodes/enabled-triggers.ts';
import { triggerSchedule } from '../nodes/trigger-schedule.ts';
import type { LifecycleListener } from '../services/workflow-lifecycle.ts';
import type { Db } from '../store/database.ts';
import {
  deleteSchedules,
  insertSchedule,
  type ScheduleChanges,
  type ScheduleRecord,
  schedulesOfWorkflow,
  updateSchedule,
} from '../store/schedules-repository.ts';
import { type CatchUp, compileCron, slotAfter } from './slots.ts';

export interface ScheduleSpec {
  readonly node_id: string;
  readonly cron: string;
  readonly timezone: string;
  readonly catch_up: CatchUp;
  readonly max_executions: number | null;
}

/** The enabled trigger_schedule nodes of a snapshot, with the node type's defaults applied. */
export function scheduleSpecsOf(nodes: Readonly<Record<string, WorkflowNode>>): ScheduleSpec[] {
  return enabledTriggers(nodes, triggerSchedule).map(({ nodeId, config }) => ({
    node_id: nodeId,
    cron: config.cron,
    timezone: config.timezone,
    catch_up: config.catch_up,
    max_executions: config.max_executions ?? null,
  }));
}

/** The first slot after `now`, or null when the cron never fires (or cannot be compiled). */
function firstSlot(spec: ScheduleSpec, now: Date): string | null {
  try {
    return slotAfter(compileCron(spec.cron, spec.timezone), now)?.toISOString() ?? null;
  } catch {
    // Validation refuses such a cron before publish; a row that never fires is the safe outcome.
    return null;
  }
}

function exhausted(runCount: number, maxExecutions: number | null): boolean {
  return maxExecutions !== null && runCount >= maxExecutions;
}

/** What changes on a kept schedule: settings, and retirement when max_executions moved. */
function keptChanges(row: ScheduleRecord, spec: ScheduleSpec, version: number, now: Date): ScheduleChanges {
  const at = now.toISOString();
  const changes: ScheduleChanges = {
    catch_up: spec.catch_up,
    max_executions: spec.max_executions,
    workflow_version: version,
    updated_at: at,
  };
  if (exhausted(row.run_count, spec.max_executions)) return { ...changes, next_run_at: null };
  if (row.next_run_at === null) return { ...changes, next_run_at: firstSlot(spec, now) };
  return changes;
}

export async function syncSchedules(
  trx: Db,
  workflowId: string,
  version: number,
  specs: readonly ScheduleSpec[],
  now: Date,
): Promise<void> {
  const existing = new Map((await schedulesOfWorkflow(trx, workflowId)).map((row) => [row.node_id, row]));
  const replaced: string[] = [];
  const fresh: ScheduleSpec[] = [];
  for (const spec of specs) {
    const row = existing.get(spec.node_id);
    existing.delete(spec.node_id);
    if (row && row.cron === spec.cron && row.timezone === spec.timezone) {
      await updateSchedule(trx, row.schedule_id, keptChanges(row, spec, version, now));
    } else {
      if (row) replaced.push(row.schedule_id);
      fresh.push(spec);
    }
  }
  // Rows left in `existing` belong to nodes the new version no longer has.
  await deleteSchedules(trx, [...replaced, ...[...existing.values()].map((row) => row.schedule_id)]);
  const at = now.toISOString();
  for (const spec of fresh) {
    await insertSchedule(trx, {
      schedule_id: randomUUID(),
      workflow_id: workflowId,
      ...spec,
      workflow_version: version,
      next_run_at: firstSlot(spec, now),
      last_run_at: null,
      last_scheduled_for: null,
      last_execution_id: null,
      run_count: 0,
      created_at: at,
      updated_at: at,
    });
  }
}

export async function removeSchedules(trx: Db, workflowId: string): Promise<void> {
  const rows = await schedulesOfWorkflow(trx, workflowId);
  await deleteSchedules(
    trx,
    rows.map((row) => row.schedule_id),
  );
}

/** Registers schedules on publish, removes them on archive, and wakes the loop after commit. */
export function scheduleRegistrar(now: () => Date, onChange: () => void): LifecycleListener {
  return {
    async onPublished(trx, { workflow, version }) {
      await syncSchedules(trx, workflow.workflow_id, version.version, scheduleSpecsOf(version.snapshot.nodes), now());
    },
    async onArchived(trx, workflow) {
      await removeSchedules(trx, workflow.workflow_id);
    },
    afterPublished: onChange,
    afterArchived: onChange,
  };
}
