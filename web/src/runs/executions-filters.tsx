/**
 * @module runs/executions-filters
 * The runs list's filter bar: status, trigger source (the server's own list of sources), the
 * reference's sort_by and sort_order, and "Include tests". Each change is handed up whole.
 */
import type { ExecutionStatus, TriggerSource } from '../api/runs-api.ts';
import { EXECUTION_STATUSES, type ListFilters, TRIGGER_SOURCES } from './executions-query.ts';

export function ExecutionsFilters({
  filters,
  onChange,
}: {
  filters: ListFilters;
  onChange: (patch: Partial<ListFilters>) => void;
}) {
  return (
    <div className="filters">
      <label>
        Status{' '}
        <select
          aria-label="Status"
          value={filters.status}
          onChange={(e) => onChange({ status: e.target.value as ExecutionStatus | '' })}
        >
          <option value="">any</option>
          {EXECUTION_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Trigger{' '}
        <select
          aria-label="Trigger"
          value={filters.trigger}
          onChange={(e) => onChange({ trigger: e.target.value as TriggerSource | '' })}
        >
          <option value="">any</option>
          {TRIGGER_SOURCES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label>
        Sort by{' '}
        <select
          aria-label="Sort by"
          value={filters.sortBy}
          onChange={(e) => onChange({ sortBy: e.target.value as ListFilters['sortBy'] })}
        >
          <option value="start_time">start time</option>
          <option value="status">status</option>
          <option value="execution_time">duration</option>
        </select>
      </label>
      <label>
        Order{' '}
        <select
          aria-label="Order"
          value={filters.sortOrder}
          onChange={(e) => onChange({ sortOrder: e.target.value as ListFilters['sortOrder'] })}
        >
          <option value="desc">descending</option>
          <option value="asc">ascending</option>
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          checked={filters.includeTest}
          onChange={(e) => onChange({ includeTest: e.target.checked })}
        />{' '}
        Include tests
      </label>
    </div>
  );
}
