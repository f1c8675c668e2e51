/**
 * @module services/workflow-lifecycle
 * Publish and archive notify the parts that index triggers (command/event index, schedules,
 * webhooks). Registration happens inside the publishing transaction so a published version and
 * its schedules exist together; in-memory indexes refresh after commit.
 */
import type { Db } from '../store/database.ts';
import type { VersionRecord, WorkflowRecord } from '../store/workflows-repository.ts';

export interface PublishedEvent {
  readonly workflow: WorkflowRecord;
  readonly version: VersionRecord;
}

export interface LifecycleListener {
  onPublished?(trx: Db, event: PublishedEvent): Promise<void>;
  onArchived?(trx: Db, workflow: WorkflowRecord): Promise<void>;
  afterPublished?(event: PublishedEvent): void | Promise<void>;
  afterArchived?(workflow: WorkflowRecord): void | Promise<void>;
}

export interface WorkflowLifecycle {
  subscribe(listener: LifecycleListener): void;
  /** Inside the publishing transaction. */
  published(trx: Db, event: PublishedEvent): Promise<void>;
  /** Inside the archiving transaction. */
  archived(trx: Db, workflow: WorkflowRecord): Promise<void>;
  /** After the publish committed. */
  afterPublished(event: PublishedEvent): Promise<void>;
  /** After the archive committed. */
  afterArchived(workflow: WorkflowRecord): Promise<void>;
}

/** The listeners are told in the order they subscribed, one after the other. */
export function createWorkflowLifecycle(): WorkflowLifecycle {
  const listeners: LifecycleListener[] = [];
  return {
    subscribe(listener) {
      listeners.push(listener);
    },
    async published(trx, event) {
      for (const listener of listeners) await listener.onPublished?.(trx, event);
    },
    async archived(trx, workflow) {
      for (const listener of listeners) await listener.onArchived?.(trx, workflow);
    },
    async afterPublished(event) {
      for (const listener of listeners) await listener.afterPublished?.(event);
    },
    async afterArchived(workflow) {
      for (const listener of listeners) await listener.afterArchived?.(workflow);
    },
  };
}
