import { describe, expect, it } from 'vitest';
import { matchRoute, searchParam } from './router.ts';

describe('matchRoute', () => {
  it('matches patterns with params, ignoring the query and a trailing slash', () => {
    expect(matchRoute('/workflows/:id', '/workflows/abc?x=1')).toEqual({ id: 'abc' });
    expect(matchRoute('/workflows/:id', '/workflows/abc/')).toEqual({ id: 'abc' });
    expect(matchRoute('/', '/')).toEqual({});
    expect(matchRoute('/', '/?page=2')).toEqual({});
  });
  it('refuses other paths', () => {
    expect(matchRoute('/workflows/:id', '/workflows')).toBeNull();
    expect(matchRoute('/workflows/:id', '/executions/abc')).toBeNull();
    expect(matchRoute('/', '/workflows/abc')).toBeNull();
  });
  it('reads query parameters', () => {
    expect(searchParam('/executions/a?tab=trace', 'tab')).toBe('trace');
    expect(searchParam('/executions/a', 'tab')).toBeNull();
  });
});
