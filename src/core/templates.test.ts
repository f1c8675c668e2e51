import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { findPlaceholders, hasTemplate, renderString, renderTemplate, templatePaths } from './templates.ts';

const scope = { username: 'ada', count: 3, ok: true, user: { id: 42, roles: ['mod'] }, nothing: null, items: [1, 2] };

describe('renderTemplate', () => {
  test('a lone placeholder keeps the value type', () => {
    assert.equal(renderTemplate('{{ count }}', scope), 3);
    assert.equal(renderTemplate('{{ok}}', scope), true);
    assert.deepEqual(renderTemplate('{{ user }}', scope), { id: 42, roles: ['mod'] });
    assert.equal(renderTemplate('{{ nothing }}', scope), null);
  });

  test('interpolates text, objects as JSON, null as empty', () => {
    assert.equal(renderTemplate('Hi {{ username }}, you have {{count}}!', scope), 'Hi ada, you have 3!');
    assert.equal(renderTemplate('u={{ user }}', scope), 'u={"id":42,"roles":["mod"]}');
    assert.equal(renderTemplate('[{{ nothing }}]', scope), '[]');
    assert.equal(renderTemplate('first {{ items[0] }} of {{ items.length }}', scope), 'first 1 of 2');
  });

  test('missing values render empty and are reported', () => {
    const missing: string[] = [];
    assert.equal(
      renderTemplate('Hi {{ who }}!', scope, (path) => missing.push(path)),
      'Hi !',
    );
    assert.equal(
      renderTemplate('{{ who.else }}', scope, (path) => missing.push(path)),
      '',
    );
    assert.deepEqual(missing, ['who', 'who.else']);
  });

  test('renders deep inside arrays and objects, leaving keys and non-strings alone', () => {
    const rendered = renderTemplate(
      { '{{ username }}': ['{{ count }}', 5, { to: 'to {{ username }}' }], n: null },
      scope,
    );
    assert.deepEqual(rendered, { '{{ username }}': [3, 5, { to: 'to ada' }], n: null });
  });

  test('never evaluates code or renders inserted values again', () => {
    const hostile = { text: '{{ secret }}', secret: 's3cr3t' };
    assert.equal(renderTemplate('{{ text }}', hostile), '{{ secret }}');
    assert.equal(renderTemplate('say {{ text }}', hostile), 'say {{ secret }}');
    const missing: string[] = [];
    assert.equal(
      renderTemplate('{{ process.exit(1) }}', scope, (path) => missing.push(path)),
      '',
    );
    assert.equal(renderTemplate('{{ constructor }}', scope), '');
    assert.deepEqual(missing, ['process.exit(1)']);
  });

  test('a __proto__ key in a config stays a plain key', () => {
    const config = JSON.parse('{"__proto__": {"polluted": "{{ username }}"}}') as unknown;
    const rendered = renderTemplate(config, scope) as Record<string, unknown>;
    assert.deepEqual(Object.getOwnPropertyDescriptor(rendered, '__proto__')?.value, { polluted: 'ada' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('template helpers', () => {
  test('renderString always yields text', () => {
    assert.equal(renderString('{{ count }}', scope), '3');
    assert.equal(renderString('{{ user.roles }}', scope), '["mod"]');
  });

  test('hasTemplate and templatePaths', () => {
    assert.equal(hasTemplate('plain {text}'), false);
    assert.equal(hasTemplate('a {{ b }}'), true);
    assert.deepEqual(templatePaths('{{ a }} and {{b.c}}'), ['a', 'b.c']);
  });
});

describe('findPlaceholders', () => {
  const REGEX = /\{\{\s*([^{}]*?)\s*\}\}/g;
  const byRegex = (text: string) =>
    Array.from(text.matchAll(REGEX), (m) => ({ start: m.index, end: m.index + m[0].length, path: m[1] }));

  test('finds what the old pattern found, on any mix of braces, spaces and text', () => {
    const text = fc
      .array(fc.constantFrom('{', '}', '{{', '}}', ' ', '\n', 'a', 'b.c', '\t'), { maxLength: 40 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (value) => {
        assert.deepEqual(findPlaceholders(value), byRegex(value));
        assert.equal(hasTemplate(value), byRegex(value).length > 0);
      }),
      { numRuns: 3000 },
    );
  });

  test('hostile inputs that made the old pattern backtrack for seconds', () => {
    const spaces = ' '.repeat(200_000);
    assert.equal(hasTemplate(`{{${spaces}`), false);
    assert.equal(hasTemplate(`{{${spaces}}`), false);
    assert.deepEqual(templatePaths(`{{${spaces}a${spaces}}}`), ['a']);
    assert.equal(renderString(`{{${spaces}x`, scope), `{{${spaces}x`);
    assert.equal(hasTemplate('{{'.repeat(100_000)), false);
    assert.equal(renderString(`${'{{ '.repeat(50_000)}{{ username }}`, scope).endsWith('ada'), true);
  });

  test('a whole-string placeholder keeps its type only when nothing surrounds it', () => {
    assert.equal(renderTemplate('{{ count }} ', scope), '3 ');
    assert.equal(renderTemplate('{{{ count }}', scope), '{3');
    assert.equal(renderTemplate('{{ count }}{{ count }}', scope), '33');
  });
});
