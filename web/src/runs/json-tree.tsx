/**
 * @module runs/json-tree
 * A collapsible JSON tree for node input, output, variables and outbox payloads. Values the
 * server stored truncated (`{truncated, size_bytes, preview}`) show as such, marker visible;
 * long lists show their first entries and a button for more, so a big value stays cheap to draw.
 */
import { useState } from 'react';

const PAGE = 50;

/** The engine's marker (engine/cap-value.ts) has exactly these three keys; a user's object with more is data. */
export function isTruncated(value: unknown): value is { truncated: true; size_bytes: number; preview: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const marker = value as { truncated?: unknown; size_bytes?: unknown; preview?: unknown };
  return (
    marker.truncated === true &&
    typeof marker.size_bytes === 'number' &&
    typeof marker.preview === 'string' &&
    Object.keys(value).length === 3
  );
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function Leaf({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number' || typeof value === 'boolean')
    return <span className="json-literal">{String(value)}</span>;
  return <span className="json-null">{String(value)}</span>;
}

function Branch({ name, value, depth }: { name: string | null; value: object; depth: number }) {
  const [shown, setShown] = useState(PAGE);
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const open = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <details open={depth < 2}>
      <summary>
        {name !== null && <span className="json-key">{name}: </span>}
        <span className="muted">{open}</span>
      </summary>
      <ul className="json-children">
        {entries.slice(0, shown).map(([key, child]) => (
          <li key={key}>
            <JsonNode name={key} value={child} depth={depth + 1} />
          </li>
        ))}
        {entries.length > shown && (
          <li>
            <button type="button" className="link-button" onClick={() => setShown(shown + PAGE * 4)}>
              show {Math.min(PAGE * 4, entries.length - shown)} more of {entries.length - shown}
            </button>
          </li>
        )}
      </ul>
    </details>
  );
}

function JsonNode({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  if (isTruncated(value)) {
    return (
      <div className="json-truncated">
        {name !== null && <span className="json-key">{name}: </span>}
        <span className="truncated-marker">truncated as stored ({bytes(value.size_bytes)})</span>
        <pre className="json-preview">{value.preview}</pre>
      </div>
    );
  }
  if (typeof value === 'object' && value !== null) return <Branch name={name} value={value} depth={depth} />;
  return (
    <span>
      {name !== null && <span className="json-key">{name}: </span>}
      <Leaf value={value} />
    </span>
  );
}

export function JsonTree({ value, label }: { value: unknown; label: string }) {
  return (
    // It scrolls (max-height in runs.css), so it takes focus: a keyboard user scrolls it too (axe scrollable-region-focusable).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable
    <section className="json-tree" aria-label={label} tabIndex={0}>
      {value === undefined ? <span className="muted">none</span> : <JsonNode name={null} value={value} depth={0} />}
    </section>
  );
}
