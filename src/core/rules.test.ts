import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getPath, hasPath } from './paths.ts';
import {
  compileRegex,
  evaluateRule,
  evaluateRules,
  looseEquals,
  RULE_OPERATORS,
  type Rule,
  RuleError,
  type RuleOperator,
  regexProblem,
  type ScopeReader,
} from './rules.ts';

const variables = {
  name: 'Ada Lovelace',
  count: 5,
  count_text: '5',
  decimal: ' 3.5 ',
  word: 'abc',
  tags: ['mod', 'vip', 7],
  user: { id: 42 },
  empty_text: '',
  empty_list: [],
  empty_object: {},
  nothing: null,
  zero: 0,
  flag: false,
  limit: 3,
};
const scope: ScopeReader = { get: (path) => getPath(variables, path), has: (path) => hasPath(variables, path) };
const check = (variable: string, operator: RuleOperator, value?: unknown): boolean =>
  evaluateRule({ variable, operator, value }, scope);

describe('rule operators', () => {
  test('equals / not_equals compare chat text and numbers loosely', () => {
    assert.equal(check('count', 'equals', '5'), true);
    assert.equal(check('count_text', 'equals', 5), true);
    assert.equal(check('count', 'equals', '5.0'), true);
    assert.equal(check('name', 'equals', 'Ada Lovelace'), true);
    assert.equal(check('name', 'equals', 'ada lovelace'), false);
    assert.equal(check('flag', 'equals', 'false'), true);
    assert.equal(check('user', 'equals', { id: 42 }), true);
    assert.equal(check('missing', 'equals', ''), false);
    assert.equal(check('count', 'not_equals', 6), true);
    assert.equal(check('count', 'not_equals', '5'), false);
  });

  test('numeric operators coerce numeric strings and are false for NaN', () => {
    assert.equal(check('count', 'greater_than', 4), true);
    assert.equal(check('count_text', 'greater_than', '4'), true);
    assert.equal(check('decimal', 'less_than', 4), true);
    assert.equal(check('count', 'greater_equal', 5), true);
    assert.equal(check('count', 'less_equal', '5'), true);
    assert.equal(check('count', 'less_than', 5), false);
    assert.equal(check('word', 'greater_than', 1), false);
    assert.equal(check('word', 'less_than', 1), false);
    assert.equal(check('count', 'greater_than', 'abc'), false);
    assert.equal(check('missing', 'less_than', 10), false);
    assert.equal(check('empty_text', 'less_than', 10), false);
    assert.equal(check('flag', 'less_than', 10), false);
  });

  test('contains / not_contains on text, arrays and objects', () => {
    assert.equal(check('name', 'contains', 'Love'), true);
    assert.equal(check('tags', 'contains', 'vip'), true);
    assert.equal(check('tags', 'contains', '7'), true);
    assert.equal(check('user', 'contains', 'id'), true);
    assert.equal(check('name', 'contains', 'xyz'), false);
    assert.equal(check('name', 'not_contains', 'xyz'), true);
    assert.equal(check('tags', 'not_contains', 'mod'), false);
    assert.equal(check('missing', 'contains', 'a'), false);
  });

  test('starts_with / ends_with', () => {
    assert.equal(check('name', 'starts_with', 'Ada'), true);
    assert.equal(check('name', 'ends_with', 'lace'), true);
    assert.equal(check('count', 'starts_with', '5'), true);
    assert.equal(check('name', 'starts_with', 'Love'), false);
    assert.equal(check('missing', 'ends_with', ''), false);
  });

  test('matches_regex searches with a linear-time engine', () => {
    assert.equal(check('name', 'matches_regex', '^Ada\\s+L'), true);
    assert.equal(check('name', 'matches_regex', '(?i)^ada'), true);
    assert.equal(check('word', 'matches_regex', '^\\d+$'), false);
    assert.equal(check('count', 'matches_regex', '^5$'), true);
    assert.throws(() => check('name', 'matches_regex', '(a)\\1'), RuleError);
  });

  test('matches_regex does not backtrack catastrophically', () => {
    const evil = { text: `${'a'.repeat(50_000)}!` };
    const evilScope: ScopeReader = { get: (path) => getPath(evil, path), has: (path) => hasPath(evil, path) };
    assert.equal(evaluateRule({ variable: 'text', operator: 'matches_regex', value: '^(a+)+$' }, evilScope), false);
  });

  test('in_list / not_in_list accept arrays and comma-separated strings', () => {
    assert.equal(check('word', 'in_list', ['x', 'abc']), true);
    assert.equal(check('word', 'in_list', 'x, abc ,y'), true);
    assert.equal(check('count', 'in_list', '1,5,9'), true);
    assert.equal(check('word', 'in_list', 'x,y'), false);
    assert.equal(check('word', 'not_in_list', 'x,y'), true);
    assert.equal(check('word', 'not_in_list', ['abc']), false);
  });

  test('is_empty / is_not_empty', () => {
    for (const path of ['missing', 'nothing', 'empty_text', 'empty_list', 'empty_object']) {
      assert.equal(check(path, 'is_empty'), true, path);
      assert.equal(check(path, 'is_not_empty'), false, path);
    }
    for (const path of ['zero', 'flag', 'word', 'tags']) {
      assert.equal(check(path, 'is_empty'), false, path);
      assert.equal(check(path, 'is_not_empty'), true, path);
    }
  });

  test('exists is about presence, not truthiness', () => {
    assert.equal(check('zero', 'exists'), true);
    assert.equal(check('nothing', 'exists'), true);
    assert.equal(check('user.id', 'exists'), true);
    assert.equal(check('missing', 'exists'), false);
    assert.equal(check('user.name', 'exists'), false);
  });

  test('every operator is covered above', () => {
    assert.equal(RULE_OPERATORS.length, 16);
    assert.equal(new Set(RULE_OPERATORS).size, 16);
  });
});

describe('evaluateRules', () => {
  const yes: Rule = { variable: 'count', operator: 'equals', value: 5 };
  const no: Rule = { variable: 'count', operator: 'equals', value: 6 };

  test('match all (default) and any', () => {
    assert.equal(evaluateRules({ rules: [yes, yes] }, scope), true);
    assert.equal(evaluateRules({ rules: [yes, no] }, scope), false);
    assert.equal(evaluateRules({ rules: [yes, no], match: 'any' }, scope), true);
    assert.equal(evaluateRules({ rules: [no, no], match: 'any' }, scope), false);
  });

  test('empty lists: all holds, any does not', () => {
    assert.equal(evaluateRules({ rules: [] }, scope), true);
    assert.equal(evaluateRules({ rules: [], match: 'any' }, scope), false);
  });

  test('values go through the render function (templates)', () => {
    const render = (value: unknown): unknown => (value === '{{ limit }}' ? variables.limit : value);
    assert.equal(
      evaluateRules({ rules: [{ variable: 'count', operator: 'greater_than', value: '{{ limit }}' }] }, scope, render),
      true,
    );
  });
});

describe('regex helpers', () => {
  test('compiled patterns are cached and reused', () => {
    assert.equal(compileRegex('^x+$'), compileRegex('^x+$'));
    assert.notEqual(compileRegex('^x+$'), compileRegex('^x+$', 'i'));
  });

  test('regexProblem explains what RE2 refuses', () => {
    assert.equal(regexProblem('^[a-z]+\\d{2,3}$'), null);
    assert.match(regexProblem('(?=a)b') ?? '', /invalid regex/);
    assert.match(regexProblem('([a-z]') ?? '', /invalid regex/);
    assert.match(regexProblem('a'.repeat(2000)) ?? '', /longer than/);
  });

  test('looseEquals is symmetric on mixed types', () => {
    const pairs: [unknown, unknown][] = [
      [5, '5'],
      ['true', true],
      [null, null],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [
        [1, 2],
        [1, 2],
      ],
    ];
    for (const [a, b] of pairs) {
      assert.equal(looseEquals(a, b), true);
      assert.equal(looseEquals(b, a), true);
    }
    assert.equal(looseEquals(null, ''), false);
    assert.equal(looseEquals([1, 2], [2, 1]), false);
  });
});
