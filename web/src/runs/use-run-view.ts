/**
 * @module runs/use-run-view
 * What the run page paints from its data: whether it is live, the run's status, each node's
 * status and run count (live events over the stored record), and the timeline (the live spans
 * while it runs, growing with the clock; the stored timeline once it has ended).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { WorkflowDefinition } from '../api/types.ts';
import { UNFINISHED } from './status-badge.tsx';
import { layoutTimeline, type TimelineLayout } from './timeline-layout.ts';
import type { RunData } from './use-live-run.ts';

export interface RunView {
  readonly liveNow: boolean;
  readonly status: string;
  statusOf(nodeId: string): { status: string; runs: number };
  readonly layout: TimelineLayout;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function useRunView(run: RunData, definition: WorkflowDefinition | undefined): RunView {
  const { execution, live } = run;
  const liveNow = Boolean(execution && UNFINISHED.has(execution.status) && !live.ended);
  const now = useNow(liveNow);
  const status = liveNow && live.status ? live.status : (execution?.status ?? 'loading');

  const statusOf = useCallback(
    (nodeId: string) => {
      const stored = execution?.node_states[nodeId];
      const fromLive = liveNow ? live.nodes[nodeId] : undefined;
      return {
        status: fromLive?.status ?? stored?.status ?? 'pending',
        runs: Math.max(fromLive?.runs ?? 0, stored?.runs ?? (stored?.started_at ? 1 : 0)),
      };
    },
    [execution, liveNow, live.nodes],
  );

  const layout = useMemo(() => {
    const labels = Object.fromEntries(Object.entries(definition?.nodes ?? {}).map(([id, n]) => [id, n.label]));
    const stored = execution?.timeline?.spans ?? [];
    if (!liveNow && stored.length > 0) return layoutTimeline(stored, { labels });
    const startMs = Date.parse(execution?.start_time ?? execution?.queued_at ?? new Date(now).toISOString());
    return layoutTimeline(live.spans, { labels, nowMs: liveNow ? now - startMs : undefined });
  }, [execution, definition, liveNow, live.spans, now]);

  return { liveNow, status, statusOf, layout };
}
