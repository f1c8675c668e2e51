/**
 * @module engine/scope
 * The one variable scope of an execution: a plain object read and written through dotted and
 * indexed paths (`user.name`, `items[0].id`, `nodes["my.node"].output`). Path handling is
 * core/paths, the same code templates and rules use, so a path means the same thing everywhere:
 * only own properties are read and `__proto__` / `constructor` / `prototype` are refused.
 * `snapshot()` is the live object, not a copy: expressions and templates read it as is.
 */
import { getPath, hasPath, parsePath, setPath } from '../core/paths.ts';
import type { VariableScope } from '../nodes/node-type.ts';

export interface EngineScope extends VariableScope {
  /** The live backing object; the engine owns `nodes` in it. */
  readonly data: Record<string, unknown>;
  /** Removes the variable at `path` if it exists (loops restore what their item variable shadowed). */
  unset(path: string): void;
}

export function createScope(data: Record<string, unknown>): EngineScope {
  return {
    data,
    get: (path) => getPath(data, path),
    has: (path) => hasPath(data, path),
    set: (name, value) => setPath(data, name, value),
    unset(path) {
      if (!hasPath(data, path)) return;
      const segments = parsePath(path);
      const parentPath = segments.slice(0, -1);
      let container: unknown = data;
      for (const segment of parentPath) container = (container as Record<string | number, unknown>)[segment];
      const last = segments[segments.length - 1];
      if (container === null || typeof container !== 'object') return;
      if (Array.isArray(container)) container[Number(last)] = undefined;
      else delete (container as Record<string, unknown>)[String(last)];
    },
    snapshot: () => data,
  };
}
