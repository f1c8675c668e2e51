/**
 * The house rules of docs/ARCHITECTURE.md as a layer table, checked on every run: what each layer
 * of src/ may not import, and no cycles in the import graph.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const SRC = import.meta.dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return entry.endsWith('.ts') && !entry.endsWith('.test.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

const files = sourceFiles(SRC);
const graph = new Map<string, string[]>(
  files.map((file) => [
    relative(SRC, file),
    importsOf(file)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => relative(SRC, resolve(dirname(file), spec))),
  ]),
);

/** Test-only modules in src/: the build leaves them out (tsconfig.build.json). */
const TEST_ONLY = /\.(test|suite|fixture)\.ts$/;

/** Where a module lives: a folder with its slash, or a file of src/'s top level. */
type Place = string;
const TRANSPORTS: Place[] = ['http/', 'grpc/'];
const WIRING: Place[] = ['features/', 'app.ts', 'app-module.ts', 'mode.ts', 'main.ts'];
const ADAPTERS: Place[] = [
  ...TRANSPORTS,
  ...WIRING,
  'store/',
  'queue/',
  'services/',
  'delivery/',
  'webhooks/',
  'scheduler/',
  'engine/',
  'auth/',
  'metrics.ts',
];
const IO_PACKAGES = [
  'node:fs',
  'node:net',
  'node:http',
  'node:https',
  'node:child_process',
  'node:dgram',
  'node:dns',
  'undici',
  'pg',
  'better-sqlite3',
  'ioredis',
  'bullmq',
  'kysely',
  'fastify',
  '@grpc/grpc-js',
];

interface Rule {
  readonly rule: string;
  /** The importing modules the rule is about. */
  readonly from: (module: string) => boolean;
  /** Imports (src/-relative paths, or package names) the rule refuses. */
  readonly refuses: (target: string) => boolean;
}

const inPlaces = (places: readonly Place[]) => (path: string) => places.some((place) => path.startsWith(place));

/** The layer table: each row is one house rule. */
const RULES: readonly Rule[] = [
  {
    rule: 'core and nodes import no adapter and no I/O module',
    from: inPlaces(['core/', 'nodes/']),
    refuses: (target) => inPlaces(ADAPTERS)(target) || IO_PACKAGES.includes(target),
  },
  {
    rule: 'services (and the adapters under them) import no transport and no wiring',
    from: inPlaces(['services/', 'engine/', 'store/', 'queue/', 'delivery/', 'webhooks/', 'scheduler/', 'auth/']),
    refuses: inPlaces([...TRANSPORTS, ...WIRING]),
  },
  { rule: 'http does not import grpc', from: inPlaces(['http/']), refuses: inPlaces(['grpc/']) },
  { rule: 'grpc does not import http', from: inPlaces(['grpc/']), refuses: inPlaces(['http/']) },
  {
    rule: 'src does not import test code (test/, *.fixture.ts, *.suite.ts)',
    from: (module) => !TEST_ONLY.test(module),
    refuses: (target) => target.startsWith('../test/') || TEST_ONLY.test(target),
  },
];

/** Every import of a module that breaks a rule, as "rule: module imports target". */
function violations(modules: readonly string[]): string[] {
  const problems: string[] = [];
  for (const module of modules) {
    const file = join(SRC, module);
    for (const spec of importsOf(file)) {
      const target = spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)) : spec;
      for (const { rule, from, refuses } of RULES) {
        if (from(module) && refuses(target)) problems.push(`${rule}: ${module} imports ${target}`);
      }
    }
  }
  return problems;
}

describe('import boundaries', () => {
  it('every module keeps the rules of the layer table', () => {
    assert.deepEqual(violations([...graph.keys()]), []);
  });

  it('the import graph of src/ has no cycles', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'visiting');
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    assert.deepEqual(cycles, []);
  });

  it('reads the whole tree', () => {
    assert.ok(graph.size > 100, `found ${graph.size} source files`);
    assert.ok([...graph.values()].some((targets) => targets.includes('core/workflow.ts')));
  });
});
