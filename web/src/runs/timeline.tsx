/**
 * @module runs/timeline
 * The Gantt of a run from timeline-layout.ts: a row per node per branch lane, a bar per run
 * attempt. Bars are positioned in percent, so the chart needs no measuring.
 */
import { memo } from 'react';
import { formatSeconds } from './stats-chart.ts';
import type { TimelineLayout, TimelineRow } from './timeline-layout.ts';

const MAX_BARS_PER_ROW = 2000;

const Row = memo(function Row({
  row,
  selected,
  onSelect,
}: {
  row: TimelineRow;
  selected: boolean;
  onSelect(id: string): void;
}) {
  const bars = row.bars.length > MAX_BARS_PER_ROW ? row.bars.slice(0, MAX_BARS_PER_ROW) : row.bars;
  return (
    <div className={`gantt-row${selected ? ' gantt-row-selected' : ''}`} data-node={row.nodeId}>
      <button type="button" className="gantt-label" onClick={() => onSelect(row.nodeId)} title={row.nodeId}>
        {row.label}
        {row.runs > 1 && <span className="muted"> ×{row.runs}</span>}
        {row.retries > 0 && <span className="muted"> ({row.retries} retries)</span>}
      </button>
      <div className="gantt-track">
        {bars.map((bar) => (
          <span
            key={`${bar.run}.${bar.attempt}.${bar.startMs}`}
            className={`gantt-bar gantt-${bar.status}${bar.attempt > 1 ? ' gantt-retry' : ''}`}
            style={{ left: `${bar.left * 100}%`, width: `max(2px, ${bar.width * 100}%)` }}
            title={`${row.label} run ${bar.run}${bar.attempt > 1 ? ` attempt ${bar.attempt}` : ''}: ${bar.status}, ${formatSeconds(bar.durationMs / 1000)} at +${formatSeconds(bar.startMs / 1000)}`}
          />
        ))}
      </div>
    </div>
  );
});

/**
 * Labels are centred on their tick, except at the ends of the track: there a centred label
 * would stick out of the chart (and be cut off by its scroll box), so it is aligned inwards.
 */
function tickEdge(left: number): string {
  if (left <= 0.02) return ' gantt-tick-start';
  if (left >= 0.95) return ' gantt-tick-end';
  return '';
}

export function Timeline({
  layout,
  selected,
  onSelect,
}: {
  layout: TimelineLayout;
  selected: string | null;
  onSelect(id: string): void;
}) {
  if (layout.rows.length === 0) return <p className="muted">No node has run yet.</p>;
  let lane = -1;
  return (
    <section className="gantt" aria-label="Timeline of node runs">
      <div className="gantt-axis" aria-hidden="true">
        <span className="gantt-label" />
        <div className="gantt-track">
          {layout.ticks.map((tick) => (
            <span key={tick.ms} className={`gantt-tick${tickEdge(tick.left)}`} style={{ left: `${tick.left * 100}%` }}>
              {tick.label}
            </span>
          ))}
        </div>
      </div>
      {layout.rows.map((row) => {
        const heading = row.lane !== lane ? (row.lane === 0 ? 'main' : `parallel branch ${row.lane}`) : null;
        lane = row.lane;
        return (
          <div key={row.key}>
            {heading && layout.lanes.length > 1 && <div className="gantt-lane">{heading}</div>}
            <Row row={row} selected={row.nodeId === selected} onSelect={onSelect} />
          </div>
        );
      })}
    </section>
  );
}
