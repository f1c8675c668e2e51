/**
 * @module panels/schedules-panel
 * A workflow's schedules: cron, time zone, the next 5 fire times in that zone and in the
 * browser's, the last run, run count and max executions.
 */
import { listSchedules } from '../api/runs-api.ts';
import { ApiErrorNotice } from '../runs/api-error.tsx';
import { formatTime } from '../runs/status-badge.tsx';
import { useLoad } from '../runs/use-load.ts';
import { link } from '../shell/app-header.tsx';
import { useSession } from '../shell/session-context.tsx';
import { describeFireTimes } from './cron-times.ts';

export function SchedulesPanel({ workflowId }: { workflowId: string }) {
  const { api } = useSession();
  const schedules = useLoad(() => listSchedules(api, workflowId), [workflowId]);
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const now = new Date();
  return (
    <section aria-label="Schedules">
      <h2>Schedules</h2>
      <ApiErrorNotice error={schedules.error} title="Schedules could not be loaded" />
      {schedules.data?.length === 0 && (
        <p className="muted">No schedules: publish a workflow with a schedule trigger.</p>
      )}
      {(schedules.data ?? []).map((schedule) => {
        const times = describeFireTimes(schedule.cron, schedule.timezone, 5, now);
        return (
          <article key={schedule.schedule_id} className="schedule" aria-label={`Schedule of node ${schedule.node_id}`}>
            <h3>
              <code>{schedule.cron}</code> in {schedule.timezone}
            </h3>
            <dl className="facts">
              <dt>Node</dt>
              <dd>
                <code>{schedule.node_id}</code>
              </dd>
              <dt>Last run</dt>
              <dd>
                {schedule.last_execution_id ? (
                  <a {...link(`/executions/${schedule.last_execution_id}`)}>{formatTime(schedule.last_run_at)}</a>
                ) : (
                  formatTime(schedule.last_run_at)
                )}
              </dd>
              <dt>Runs</dt>
              <dd>
                {schedule.run_count}
                {schedule.max_executions !== null && ` of at most ${schedule.max_executions}`}
              </dd>
              <dt>Next run (server)</dt>
              <dd>{schedule.next_run_at ? formatTime(schedule.next_run_at) : 'retired'}</dd>
            </dl>
            {'error' in times ? (
              <p className="error">{times.error}</p>
            ) : (
              <table className="list fire-times">
                <caption>Next 5 fire times</caption>
                <thead>
                  <tr>
                    <th scope="col">In {schedule.timezone}</th>
                    <th scope="col">In your time zone ({browserZone})</th>
                  </tr>
                </thead>
                <tbody>
                  {times.map((time) => (
                    <tr key={time.at.toISOString()}>
                      <td>{time.inZone}</td>
                      <td>{time.local}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </article>
        );
      })}
    </section>
  );
}
