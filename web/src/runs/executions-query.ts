/**
 * @module runs/executions-query
 * The runs list's filters as plain values: the API query they ask for (status and trigger are
 * filtered by the server, so its pages and total count only the matching runs) and what the
 * table says when it has no row to show.
 */
import { EXECUTION_STATUSES, TRIGGER_SOURCES } from '../../../src/services/execution-types.ts';
import type { ExecutionStatus, ListExecutionsQuery, TriggerSource } from '../api/runs-api.ts';

export { EXECUTION_STATUSES, TRIGGER_SOURCES };
export const PER_PAGE = 20;

export interface ListFilters {
  readonly status: ExecutionStatus | '';
  readonly trigger: TriggerSource | '';
  readonly sortBy: NonNullable<ListExecutionsQuery['sort_by']>;
  readonly sortOrder: 'asc' | 'desc';
  readonly includeTest: boolean;
}

export const NO_FILTERS: ListFilters = {
  status: '',
  trigger: '',
  sortBy: 'start_time',
  sortOrder: 'desc',
  includeTest: false,
};

export function listQuery(communityId: number, filters: ListFilters, page: number): ListExecutionsQuery {
  return {
    community_id: communityId,
    status: filters.status || undefined,
    trigger_source: filters.trigger || undefined,
    sort_by: filters.sortBy,
    sort_order: filters.sortOrder,
    // Test runs are left out unless asked for: asking for the "test" trigger asks for them.
    include_test: filters.includeTest || filters.trigger === 'test',
    page,
    per_page: PER_PAGE,
  };
}

export const isFiltered = (filters: ListFilters): boolean => filters.status !== '' || filters.trigger !== '';

/**
 * The table's one row when there is no run to show, or null. Only the first load says
 * "Loading": page 1 is read again every few seconds, and an empty list must not flicker.
 * A failed load with nothing loaded says nothing here (the error notice above the table does).
 */
export function emptyRowText(state: {
  readonly loaded: boolean;
  readonly loading: boolean;
  readonly failed: boolean;
  readonly rows: number;
  readonly filtered: boolean;
}): string | null {
  if (state.rows > 0) return null;
  if (!state.loaded) return state.loading && !state.failed ? 'Loading executions…' : null;
  return state.filtered ? 'No executions match these filters.' : 'No executions yet.';
}
