/**
 * @module runs/status-badge
 * An execution or node status as a coloured word (colour is never the only cue: the word is there).
 */
/** A run in one of these may still change; every other status is final. */
export const UNFINISHED: ReadonlySet<string> = new Set(['queued', 'running']);

export function StatusBadge({ status }: { status: string }) {
  return <span className={`run-status run-status-${status}`}>{status}</span>;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export { formatSeconds as formatDuration } from './stats-chart.ts';
