/**
 * @module nodes/trigger-schedule
 * Entry point fired by the scheduler (section 7). Validation parses the cron with croner (the
 * library the scheduler uses, so both agree on what is valid) in the node's IANA timezone.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Cron } from 'croner';
import { type Defaulted, literalUnion } from './common-schemas.ts';
import { defineNode } from './node-type.ts';
import { ScheduleTriggerOutputSchema } from './output-schemas.ts';
import { emitTriggerData } from './trigger-data.ts';

export const CATCH_UP_MODES = ['latest', 'none'] as const;

export const TriggerScheduleConfigSchema = Type.Object(
  {
    cron: Type.String({
      minLength: 1,
      maxLength: 200,
      description: '5 or 6 fields (seconds first), names (MON, JAN) and nicknames (@hourly) allowed',
    }),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, default: 'UTC', description: 'IANA name' })),
    max_executions: Type.Optional(
      Type.Integer({ minimum: 1, description: 'retire the schedule after this many runs' }),
    ),
    catch_up: Type.Optional(literalUnion(CATCH_UP_MODES, { default: 'latest' })),
  },
  { additionalProperties: false },
);
export type TriggerScheduleConfig = Defaulted<Static<typeof TriggerScheduleConfigSchema>, 'timezone' | 'catch_up'>;

/** Null when `timezone` is a zone the runtime knows (IANA names, UTC). */
export function timezoneProblem(timezone: string): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return null;
  } catch {
    return `config field 'timezone': '${timezone}' is not a known IANA timezone`;
  }
}

const CRON_CACHE_LIMIT = 500;
const cronChecks = new Map<string, string | null>();

/** Null when croner accepts the pattern and it fires at least once in the future. */
export function cronProblem(cron: string, timezone: string): string | null {
  const key = `${timezone} ${cron}`;
  const known = cronChecks.get(key);
  if (known !== undefined) return known;
  const problem = checkCron(cron, timezone);
  if (cronChecks.size >= CRON_CACHE_LIMIT) cronChecks.delete(cronChecks.keys().next().value as string);
  cronChecks.set(key, problem);
  return problem;
}

function checkCron(cron: string, timezone: string): string | null {
  let job: Cron | undefined;
  try {
    job = new Cron(cron, { paused: true, timezone });
    if (job.nextRun() === null) return `config field 'cron': '${cron}' never fires`;
    return null;
  } catch (error) {
    return `config field 'cron': ${(error as Error).message}`;
  } finally {
    job?.stop();
  }
}

export const triggerSchedule = defineNode<TriggerScheduleConfig>({
  type: 'trigger_schedule',
  category: 'trigger',
  description: 'Starts the workflow on a cron schedule in the given timezone.',
  configSchema: TriggerScheduleConfigSchema,
  outputSchema: ScheduleTriggerOutputSchema,
  examples: [
    { cron: '0 18 * * 1', timezone: 'Europe/Berlin' },
    { cron: '*/30 * * * *', max_executions: 10, catch_up: 'none' },
  ],
  outputPorts: ['output'],
  hasInput: false,
  effect: 'none',
  validateConfig(config) {
    const zone = timezoneProblem(config.timezone);
    // A bad zone does not hide a bad cron: the pattern is then checked in UTC.
    const cron = cronProblem(config.cron, zone ? 'UTC' : config.timezone);
    return [zone, cron].filter((problem): problem is string => problem !== null);
  },
  execute: emitTriggerData,
});

/** How many schedule triggers a definition holds (each becomes a schedule on publish). */
export function scheduleNodeCount(nodes: Readonly<Record<string, { readonly node_type?: unknown }>>): number {
  return Object.values(nodes).filter((node) => node?.node_type === triggerSchedule.type).length;
}
