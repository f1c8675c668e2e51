/**
 * @module panels/audit-details
 * An audit row in words: a title for its action and what changed, from the `details` the
 * services record (services/audit-trail.ts and its callers): which grant with which flags,
 * which webhook and what was set on it, which version, which fields. An action or a detail this
 * app does not know yet is still shown, as `key: value`, never dropped.
 */
import { PERMISSION_FLAGS } from '../api/runs-api.ts';

const TITLES: Readonly<Record<string, string>> = {
  created: 'Workflow created',
  updated: 'Workflow edited',
  published: 'Version published',
  archived: 'Workflow archived',
  restored: 'Version restored',
  permission_granted: 'Grant set',
  permission_revoked: 'Grant removed',
  'webhook.create': 'Webhook created',
  'webhook.update': 'Webhook changed',
  'webhook.rotate_secret': 'Webhook secret rotated',
  'webhook.delete': 'Webhook deleted',
};

/** "can_manage_permissions" → "manage permissions". */
export function flagName(flag: string): string {
  return flag.replace(/^can_/, '').replace(/_/g, ' ');
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(valueText).join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return JSON.stringify(value) ?? String(value);
}

/** Every remaining detail as `key: value`, in the order recorded. */
function rest(details: Record<string, unknown>, skip: readonly string[]): string[] {
  return Object.entries(details)
    .filter(([key]) => !skip.includes(key))
    .map(([key, value]) => `${key.replace(/_/g, ' ')}: ${valueText(value)}`);
}

function grantText(details: Record<string, unknown>): string {
  const who = `${valueText(details.permission_type)} ${valueText(details.target_id)}`;
  const given = PERMISSION_FLAGS.filter((flag) => typeof details[flag] === 'boolean');
  const may = given.filter((flag) => details[flag] === true).map(flagName);
  const mayNot = given.filter((flag) => details[flag] === false).map(flagName);
  const parts = [
    may.length ? `may ${may.join(', ')}` : 'may do nothing',
    mayNot.length && `may not ${mayNot.join(', ')}`,
  ];
  const others = rest(details, ['permission_type', 'target_id', ...PERMISSION_FLAGS]);
  return [`${who}: ${parts.filter(Boolean).join('; ')}`, ...others].join('; ');
}

function webhookText(action: string, details: Record<string, unknown>): string {
  const which =
    typeof details.name === 'string'
      ? `webhook “${details.name}”`
      : `webhook ${valueText(details.webhook_id ?? '?').slice(0, 8)}`;
  const changes: string[] = [];
  if (typeof details.enabled === 'boolean') changes.push(details.enabled ? 'enabled' : 'disabled');
  if (typeof details.require_signature === 'boolean')
    changes.push(details.require_signature ? 'signature required' : 'signature not required');
  if (action === 'webhook.rotate_secret') changes.push('new signing secret');
  // updated_at is the row's own time, already in "When"; the secret itself is never recorded.
  changes.push(...rest(details, ['webhook_id', 'name', 'enabled', 'require_signature', 'updated_at']));
  return changes.length ? `${which}: ${changes.join(', ')}` : which;
}

export interface AuditText {
  readonly title: string;
  readonly details: string;
}

export function describeAudit(action: string, rawDetails: unknown): AuditText {
  const details =
    rawDetails && typeof rawDetails === 'object' && !Array.isArray(rawDetails)
      ? (rawDetails as Record<string, unknown>)
      : {};
  const title = TITLES[action] ?? action.replace(/[._]/g, ' ');
  switch (action) {
    case 'permission_granted':
      return { title, details: grantText(details) };
    case 'permission_revoked':
      return {
        title,
        details: [
          `${valueText(details.permission_type)} ${valueText(details.target_id)}: no grant any more`,
          ...rest(details, ['permission_type', 'target_id']),
        ].join('; '),
      };
    case 'created':
      return {
        title,
        details: [typeof details.name === 'string' ? `as “${details.name}”` : '', ...rest(details, ['name'])]
          .filter(Boolean)
          .join('; '),
      };
    case 'updated':
      return {
        title,
        details: [`changed ${valueText(details.fields ?? [])}`, ...rest(details, ['fields'])].join('; '),
      };
    case 'published':
    case 'restored':
      return { title, details: [`version ${valueText(details.version)}`, ...rest(details, ['version'])].join('; ') };
    default:
      if (action.startsWith('webhook.')) return { title, details: webhookText(action, details) };
      return { title, details: rest(details, []).join('; ') };
  }
}
