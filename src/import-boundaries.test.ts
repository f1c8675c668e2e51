/**
 * The house rules of ARCHITECTURE.md, checked on every run: the pure core (core/, nodes/) reaches
 * no adapter and no I/O module, and the import graph of src/ has no cycles.
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

const PURE = ['core/', 'nodes/'];
const ADAPTERS = ['store/', 'http/', 'grpc/', 'queue/', 'services/', 'delivery/', 'webhooks/', 'scheduler/', 'engine/'];
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

describe('import boundaries', () => {
  it('core/ and nodes/ import no adapter and no I/O module', () => {
    const problems: string[] = [];
    for (const file of files) {
      const name = relative(SRC, file);
      if (!PURE.some((prefix) => name.startsWith(prefix))) continue;
      for (const spec of importsOf(file)) {
        const target = spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)) : spec;
        if (ADAPTERS.some((prefix) => target.startsWith(prefix))) problems.push(`${name} imports ${target}`);
        if (IO_PACKAGES.includes(spec)) problems.push(`${name} imports ${spec}`);
      }
    }
    assert.deepEqual(problems, []);
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
