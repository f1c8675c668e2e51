/**
 * @module core/json-depth
 * The one nesting limit of JSON the service takes in: request bodies and the responses of outbound
 * calls alike. Measured without recursion, so hostile input cannot overflow the stack.
 */

export const MAX_JSON_DEPTH = 64;

/** Whether arrays/objects nest deeper than `limit` (walked with an explicit stack). */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
