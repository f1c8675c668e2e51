/**
 * @module store/migrations
 * The ordered list of migrations. Listed statically (not read from the file system) so the
 * compiled build and tsx run the same set.
 */
import type { Migration } from 'kysely';
import * as workflows from './2026-11-27-0001-workflows.ts';

export const migrations: Readonly<Record<string, Migration>> = {
  '2026-11-27-0001-workflows': workflows,
};
