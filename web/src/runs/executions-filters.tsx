/**
 * @module runs/executions-filters
 * The runs list's filter bar: status, trigger source (the server's own list of sources), the
 * reference's sort_by and sort_order, and "Include tests". Each change is handed up whole.
 */
import { EXECUTION_STATUSES, type ListFilters, TRIGGER_SOURCES } from './executions-query.ts';

type Choice<K extends keyof ListFilters> = readonly (readonly [value: ListFilters[K], label: string])[];

const any = <T extends string>(values: readonly T[]): readonly (readonly ['' | T, string])[] => [
  ['', 'any'],
  ...values.map((value) => [value, value] as const),
];

/** One labelled select over one filter (named by its label alone, not the option it shows). */
function FilterSelect<K extends 'status' | 'trigger' | 'sortBy' | 'sortOrder'>({
  label,
  name,
  choices,
  filters,
  onChange,
}: {
  label: string;
  name: K;
  choices: Choice<K>;
  filters: ListFilters;
  onChange: (patch: Partial<ListFilters>) => void;
}) {
  return (
    <label>
      {label}{' '}
      <select
        aria-label={label}
        value={filters[name]}
        onChange={(e) => onChange({ [name]: e.target.value as ListFilters[K] } as Partial<ListFilters>)}
      >
        {choices.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

const SORT_BY: Choice<'sortBy'> = [
  ['start_time', 'start time'],
  ['status', 'status'],
  ['execution_time', 'duration'],
];
const ORDER: Choice<'sortOrder'> = [
  ['desc', 'descending'],
  ['asc', 'ascending'],
];

export function ExecutionsFilters({
  filters,
  onChange,
}: {
  filters: ListFilters;
  onChange: (patch: Partial<ListFilters>) => void;
}) {
  const common = { filters, onChange };
  return (
    <div className="filters">
      <FilterSelect label="Status" name="status" choices={any(EXECUTION_STATUSES)} {...common} />
      <FilterSelect label="Trigger" name="trigger" choices={any(TRIGGER_SOURCES)} {...common} />
      <FilterSelect label="Sort by" name="sortBy" choices={SORT_BY} {...common} />
      <FilterSelect label="Order" name="sortOrder" choices={ORDER} {...common} />
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
