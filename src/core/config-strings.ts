/**
 * @module core/config-strings
 * The per-string size cap of node configs (PRODUCT.md §3: every string at most 64 KiB by default,
 * MAX_CONFIG_STRING_BYTES). Walked with an explicit stack, so no config can overflow it.
 */

export const DEFAULT_MAX_CONFIG_STRING_BYTES = 64 * 1024;
const MAX_DEPTH = 64;

/** UTF-8 length of `text`, counted only as far as `limit` + 1. */
function utf8Length(text: string, limit: number): number {
  if (text.length * 3 <= limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function fieldName(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** One message per string (value or key) of `config` longer than `maxBytes`, naming its field. */
export function oversizedConfigStrings(config: unknown, maxBytes: number): string[] {
  const problems: string[] = [];
  const tooLong = (field: string, what: string) =>
    problems.push(`config field '${field}': ${what} is longer than ${maxBytes} bytes (MAX_CONFIG_STRING_BYTES)`);
  const stack: Array<[unknown, string, number]> = [[config, '', 0]];
  while (stack.length > 0) {
    const [value, field, depth] = stack.pop() as [unknown, string, number];
    if (typeof value === 'string') {
      if (utf8Length(value, maxBytes) > maxBytes) tooLong(field, 'the text');
      continue;
    }
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) continue;
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i];
      if (typeof key === 'string' && utf8Length(key, maxBytes) > maxBytes) {
        tooLong(fieldName(field, `${key.slice(0, 32)}…`), 'the key');
        continue;
      }
      stack.push([item, fieldName(field, key), depth + 1]);
    }
  }
  return problems;
}
