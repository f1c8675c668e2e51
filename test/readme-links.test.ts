/**
 * The README stands on its own: every link points at a file in the repository or at the running
 * service's /docs, nothing outside the checkout.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..');

describe('README links', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('links only to files of the repository and to /docs', () => {
    const targets = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1]);
    assert.ok(targets.length > 0);
    for (const target of targets) {
      if (target.startsWith('#')) continue;
      if (/^https?:\/\/localhost:8070\/docs/.test(target)) continue;
      assert.doesNotMatch(target, /^[a-z]+:/, `${target} leaves the repository`);
      assert.ok(existsSync(join(ROOT, target.split('#')[0])), `${target} exists in the repository`);
    }
  });

  it('names no path outside the checkout', () => {
    assert.doesNotMatch(readme, /\.\.\/shared|\.\.\//);
  });
});
