/**
 * @module editor/test-output
 * A node's part of the last test run: status, duration, error, input, output and logs, and the
 * pin that replays this output in later test runs (never in published runs).
 */
import { type EditorStore, useEditor } from './editor-store.ts';
import { formatSeconds } from './node-card.tsx';
import { savePins } from './test-pins.ts';

function Json({ value }: { value: unknown }) {
  return (
    // Focusable, so a long value can be scrolled with the keyboard.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus
    <pre className="json" tabIndex={0}>
      {value === undefined ? '—' : JSON.stringify(value, null, 2)}
    </pre>
  );
}

export function TestOutput({ store, nodeId, workflowId }: { store: EditorStore; nodeId: string; workflowId: string }) {
  const entry = useEditor(store, (s) => s.test?.trace.find((t) => t.node_id === nodeId));
  const pins = useEditor(store, (s) => s.pins);
  const pinned = Object.hasOwn(pins, nodeId);
  const setPins = (next: Record<string, unknown>) => {
    store.set((s) => ({ ...s, pins: next }));
    savePins(workflowId, next);
  };
  if (!entry && !pinned) return null;
  return (
    <section className="test-output" aria-label="Last test run">
      <h3>Last test run</h3>
      {entry && (
        <>
          <p>
            <span className={`badge badge-${entry.status}`}>{entry.status}</span>{' '}
            {entry.status !== 'skipped' && formatSeconds(entry.duration_seconds)}
          </p>
          {entry.error && <p className="error">{entry.error}</p>}
          <h4>Input</h4>
          <Json value={entry.input} />
          <h4>Output</h4>
          <Json value={entry.output} />
          <h4>Logs</h4>
          {entry.logs.length ? (
            <ul className="logs">
              {entry.logs.map((line, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: log lines may repeat
                <li key={index}>{line}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">No logs.</p>
          )}
        </>
      )}
      {pinned ? (
        <div className="pin-box">
          <p>⊙ Pinned output (used instead of running this node in test runs only):</p>
          <Json value={pins[nodeId]} />
          <button
            type="button"
            onClick={() => {
              const { [nodeId]: _dropped, ...rest } = pins;
              setPins(rest);
            }}
          >
            Unpin output
          </button>
        </div>
      ) : (
        entry?.status === 'completed' && (
          <button type="button" onClick={() => setPins({ ...pins, [nodeId]: entry.output })}>
            ⊙ Pin this output (use it next time)
          </button>
        )
      )}
    </section>
  );
}
