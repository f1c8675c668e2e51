/**
 * @module store/migrations
 * The ordered list of migrations. Listed statically (not read from the file system) so the
 * compiled build and tsx run the same set.
 */
import type { Migration } from 'kysely';
import * as workflows from './2026-11-27-0001-workflows.ts';
import * as executions from './2026-11-27-0002-executions.ts';
import * as schedules from './2026-11-27-0003-schedules.ts';
import * as webhooks from './2026-11-27-0004-webhooks.ts';
import * as parentCallKey from './2026-12-01-childonce-parent-call-key.ts';
import * as resumeAttempts from './2026-12-01-i9-expr-resume-attempts.ts';
import * as waitingIndex from './2026-12-01-i9-fair-waiting-index.ts';
import * as lease from './2026-12-01-i14-scale-lease.ts';
import * as credentials from './2026-12-01-i15-reuse-credentials.ts';

export const migrations: Readonly<Record<string, Migration>> = {
  '2026-11-27-0001-workflows': workflows,
  '2026-11-27-0002-executions': executions,
  '2026-11-27-0003-schedules': schedules,
  '2026-11-27-0004-webhooks': webhooks,
  '2026-12-01-i15-reuse-credentials': credentials,
  '2026-12-01-i9-expr-resume-attempts': resumeAttempts,
  '2026-12-01-i9-fair-waiting-index': waitingIndex,
  '2026-12-01-i14-scale-lease': lease,
  '2026-12-01-childonce-parent-call-key': parentCallKey,
};
