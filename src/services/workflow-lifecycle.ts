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

export class WorkflowLifecycle {
  readonly #listeners: LifecycleListener[] = [];

  subscribe(listener: LifecycleListener): void {
    this.#listeners.push(listener);
  }

  async published(trx: Db, event: PublishedEvent): Promise<void> {
    for (const listener of this.#listeners) await listener.onPublished?.(trx, event);
  }

  async archived(trx: Db, workflow: WorkflowRecord): Promise<void> {
    for (const listener of this.#listeners) await listener.onArchived?.(trx, workflow);
  }

  async afterPublished(event: PublishedEvent): Promise<void> {
    for (const listener of this.#listeners) await listener.afterPublished?.(event);
  }

  async afterArchived(workflow: WorkflowRecord): Promise<void> {
    for (const listener of this.#listeners) await listener.afterArchived?.(workflow);
  }
}
