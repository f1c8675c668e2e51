/**
 * @module panels/grant-form
 * Adding a grant: user, role or entity, its id, and the five flags (view ticked to begin with,
 * since the other four mean little without it).
 */
import { type FormEvent, useState } from 'react';
import { type GrantRequest, PERMISSION_FLAGS, type PermissionFlag } from '../api/runs-api.ts';
import { flagName } from './audit-details.ts';

const NO_FLAGS = Object.fromEntries(PERMISSION_FLAGS.map((f) => [f, false])) as Record<PermissionFlag, boolean>;

export function GrantForm({ onSave }: { onSave(grant: GrantRequest): void }) {
  const [type, setType] = useState<GrantRequest['permission_type']>('user');
  const [target, setTarget] = useState('');
  const [flags, setFlags] = useState({ ...NO_FLAGS, can_view: true });
  function submit(event: FormEvent) {
    event.preventDefault();
    onSave({ permission_type: type, target_id: target.trim(), ...flags });
    setTarget('');
  }
  return (
    <form className="grant-form row" onSubmit={submit} aria-label="Add a grant">
      <label>
        Type{' '}
        <select value={type} onChange={(e) => setType(e.target.value as GrantRequest['permission_type'])}>
          <option value="user">user</option>
          <option value="role">role</option>
          <option value="entity">entity</option>
        </select>
      </label>
      <label>
        Target id <input value={target} onChange={(e) => setTarget(e.target.value)} required />
      </label>
      {PERMISSION_FLAGS.map((flag) => (
        <label key={flag}>
          <input
            type="checkbox"
            checked={flags[flag]}
            onChange={(e) => setFlags({ ...flags, [flag]: e.target.checked })}
          />{' '}
          {flagName(flag)}
        </label>
      ))}
      <button type="submit" className="primary" disabled={!target.trim()}>
        Add grant
      </button>
    </form>
  );
}
