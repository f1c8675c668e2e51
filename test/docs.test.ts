/**
 * docs/nodes.md is what `npm run docs` renders from the node registry today.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderNodeCatalog } from '../src/nodes/catalog-markdown.ts';
import { nodeTypes } from '../src/nodes/registry.ts';

describe('docs/nodes.md', () => {
  const file = readFileSync(join(import.meta.dirname, '..', 'docs', 'nodes.md'), 'utf8');

  it('is up to date with the registry (run `npm run docs` after changing a node type)', () => {
    assert.equal(file, renderNodeCatalog());
  });

  it('has a section, config and example for every node type', () => {
    for (const type of nodeTypes.keys()) {
      assert.match(file, new RegExp(`^## ${type}$`, 'm'));
      assert.ok(file.includes(`{"node_type":"${type}","config":`), `${type} has an example`);
    }
  });
});
