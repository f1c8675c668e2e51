/**
 * @module panels/grants-table
 * The grants of a workflow, one row each: who (user, role or entity) and the five flags as
 * checkboxes that change the grant at once, and Remove.
 */
import { PERMISSION_FLAGS } from '../api/runs-api.ts';
import { flagName } from './audit-details.ts';
import { type GrantFlags, grantKey, withFlag } from './grant-list.ts';

export function GrantsTable({
  grants,
  onChange,
  onRemove,
}: {
  grants: readonly GrantFlags[];
  onChange(grant: GrantFlags): void;
  onRemove(grant: GrantFlags): void;
}) {
  return (
    <table className="list grants">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Target</th>
          {PERMISSION_FLAGS.map((flag) => (
            <th scope="col" key={flag}>
              {flagName(flag)}
            </th>
          ))}
          <th scope="col">Remove</th>
        </tr>
      </thead>
      <tbody>
        {grants.map((grant) => {
          const who = grantKey(grant);
          return (
            <tr key={who} data-grant={who}>
              <td>{grant.permission_type}</td>
              <td>
                <code>{grant.target_id}</code>
              </td>
              {PERMISSION_FLAGS.map((flag) => (
                <td key={flag}>
                  <input
                    type="checkbox"
                    aria-label={`${flagName(flag)} for ${who}`}
                    checked={grant[flag]}
                    onChange={(e) => onChange(withFlag(grant, flag, e.target.checked))}
                  />
                </td>
              ))}
              <td>
                <button
                  type="button"
                  className="danger"
                  aria-label={`Remove grant for ${who}`}
                  onClick={() => onRemove(grant)}
                >
                  Remove
                </button>
              </td>
            </tr>
          );
        })}
        {grants.length === 0 && (
          <tr>
            <td colSpan={8} className="muted">
              No grants: only the owner has access.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
