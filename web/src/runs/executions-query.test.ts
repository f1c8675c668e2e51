import { describe, expect, it } from 'vitest';
import { emptyRowText, isFiltered, listQuery, NO_FILTERS, PER_PAGE } from './executions-query.ts';

describe('listQuery', () => {
  it('asks the server for the status and trigger filters, the sort and the page', () => {
    expect(
      listQuery(
        456,
        { ...NO_FILTERS, status: 'failed', trigger: 'webhook', sortBy: 'execution_time', sortOrder: 'asc' },
        3,
      ),
    ).toEqual({
      community_id: 456,
      status: 'failed',
      trigger_source: 'webhook',
      sort_by: 'execution_time',
      sort_order: 'asc',
      include_test: false,
      page: 3,
      per_page: PER_PAGE,
    });
  });

  it('leaves out the filters set to "any"', () => {
    const query = listQuery(456, NO_FILTERS, 1);
    expect(query.status).toBeUndefined();
    expect(query.trigger_source).toBeUndefined();
    expect(query.include_test).toBe(false);
  });

  it('includes test runs when ticked, and when the "test" trigger is asked for', () => {
    expect(listQuery(1, { ...NO_FILTERS, includeTest: true }, 1).include_test).toBe(true);
    expect(listQuery(1, { ...NO_FILTERS, trigger: 'test' }, 1).include_test).toBe(true);
    expect(listQuery(1, { ...NO_FILTERS, trigger: 'api' }, 1).include_test).toBe(false);
  });

  it('counts status and trigger as filters, not the sort or the test toggle', () => {
    expect(isFiltered({ ...NO_FILTERS, sortOrder: 'asc', includeTest: true })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, trigger: 'schedule' })).toBe(true);
    expect(isFiltered({ ...NO_FILTERS, status: 'running' })).toBe(true);
  });
});

describe('emptyRowText', () => {
  const state = { loaded: true, loading: false, failed: false, rows: 0, filtered: false };
  it('says loading only before anything was loaded', () => {
    expect(emptyRowText({ ...state, loaded: false, loading: true })).toBe('Loading executions…');
    // A refresh of page 1 does not replace "No executions yet" with "Loading".
    expect(emptyRowText({ ...state, loading: true })).toBe('No executions yet.');
  });
  it('says nothing when the first load failed: the error notice says why', () => {
    expect(emptyRowText({ ...state, loaded: false, failed: true })).toBeNull();
    expect(emptyRowText({ ...state, loaded: false, loading: true, failed: true })).toBeNull();
  });
  it('tells an empty list from an empty filter result, and has no row when there are runs', () => {
    expect(emptyRowText(state)).toBe('No executions yet.');
    expect(emptyRowText({ ...state, filtered: true })).toBe('No executions match these filters.');
    expect(emptyRowText({ ...state, rows: 2, filtered: true })).toBeNull();
  });
});
