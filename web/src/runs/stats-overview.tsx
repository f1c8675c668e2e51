/**
 * @module runs/stats-overview
 * The last 24 hours of a workflow: a stacked bar per hour by status, the p50/p95 duration line
 * and the totals (GET …/stats, shaped by stats-chart.ts).
 */
import { getStats } from '../api/runs-api.ts';
import { useSession } from '../shell/session-context.tsx';
import { ApiErrorNotice } from './api-error.tsx';
import { formatSeconds, STAT_STATUSES, shapeStats } from './stats-chart.ts';
import { useLoad, useRefresh } from './use-load.ts';

/** The chart follows new runs too, less eagerly than the list. */
const REFRESH_MS = 10_000;
const W = 720;
const H = 160;

export function StatsOverview({ workflowId }: { workflowId: string }) {
  const { api } = useSession();
  const stats = useLoad(() => getStats(api, workflowId, 24), [workflowId]);
  useRefresh(stats.reload, REFRESH_MS);
  // A failed refresh keeps the chart it had, under the notice.
  if (stats.error && !stats.data) return <ApiErrorNotice error={stats.error} title="Statistics could not be loaded" />;
  if (!stats.data) return <p className="loading">Loading statistics…</p>;
  const chart = shapeStats(stats.data);
  const slot = W / chart.bars.length;
  const line = (pick: 'p50' | 'p95') =>
    chart.bars
      .map((bar, i) =>
        bar[pick] === null || !chart.maxP95
          ? null
          : `${i * slot + slot / 2},${H - ((bar[pick] as number) / chart.maxP95) * H}`,
      )
      .filter(Boolean)
      .join(' ');
  const latest = [...chart.bars].reverse().find((bar) => bar.p50 !== null);
  return (
    <section className="stats-overview" aria-label="Last 24 hours">
      <h2>Last 24 hours</h2>
      <ApiErrorNotice error={stats.error} title="Statistics could not be refreshed" />
      <dl className="facts stats-totals">
        <dt>Runs</dt>
        <dd>{chart.totals.all}</dd>
        {STAT_STATUSES.filter((s) => chart.totals[s] > 0).map((s) => [
          <dt key={`${s}-t`}>{s}</dt>,
          <dd key={`${s}-d`}>{chart.totals[s]}</dd>,
        ])}
        <dt>Success rate</dt>
        <dd>{chart.successRate === null ? '–' : `${Math.round(chart.successRate * 100)} %`}</dd>
        <dt>p50 / p95 (latest hour with runs)</dt>
        <dd>{latest ? `${formatSeconds(latest.p50)} / ${formatSeconds(latest.p95)}` : '–'}</dd>
        <dt>Slowest hour p95</dt>
        <dd>{formatSeconds(chart.maxP95)}</dd>
      </dl>
      <svg
        viewBox={`0 -12 ${W} ${H + 30}`}
        className="stats-chart"
        role="img"
        aria-label={`Runs per hour, ${chart.totals.all} in total`}
      >
        <title>Runs per hour by status, with p50 and p95 duration</title>
        {chart.bars.map((bar, i) => (
          <g key={bar.hour}>
            <title>{bar.title}</title>
            <rect x={i * slot + 2} y={0} width={slot - 4} height={H} className="stats-slot" />
            {bar.segments.map((segment) => (
              <rect
                key={segment.status}
                x={i * slot + 3}
                width={slot - 6}
                y={H - segment.y1 * H}
                height={Math.max(1, (segment.y1 - segment.y0) * H)}
                className={`stats-bar stats-${segment.status}`}
              />
            ))}
            {i % 3 === 0 && (
              <text x={i * slot + slot / 2} y={H + 14} className="stats-label" textAnchor="middle">
                {bar.label}
              </text>
            )}
          </g>
        ))}
        {chart.maxP95 && <polyline points={line('p95')} className="stats-line stats-p95" />}
        {chart.maxP95 && <polyline points={line('p50')} className="stats-line stats-p50" />}
        {chart.maxP95 &&
          chart.bars.flatMap((bar, i) =>
            (['p50', 'p95'] as const).map((pick) =>
              bar[pick] === null ? null : (
                <circle
                  key={`${bar.hour}-${pick}`}
                  cx={i * slot + slot / 2}
                  cy={H - ((bar[pick] as number) / (chart.maxP95 as number)) * H}
                  r={3.5}
                  className={`stats-dot stats-${pick}`}
                />
              ),
            ),
          )}
        <text x={2} y={-2} className="stats-label">
          max {chart.maxTotal} runs/h
        </text>
      </svg>
      <p className="legend">
        {STAT_STATUSES.map((s) => (
          <span key={s} className="legend-item">
            <span className={`legend-swatch stats-${s}`} /> {s}
          </span>
        ))}
        <span className="legend-item">
          <span className="legend-line stats-p50" /> p50
        </span>
        <span className="legend-item">
          <span className="legend-line stats-p95" /> p95
        </span>
      </p>
    </section>
  );
}
