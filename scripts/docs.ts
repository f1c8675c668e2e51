// npm run docs: writes docs/nodes.md from the node registry (test/docs.test.ts fails when it is stale).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderNodeCatalog } from '../src/nodes/catalog-markdown.ts';

const target = join(import.meta.dirname, '..', 'docs', 'nodes.md');
writeFileSync(target, renderNodeCatalog());
console.log(`wrote ${target}`);
