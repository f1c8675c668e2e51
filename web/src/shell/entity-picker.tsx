/**
 * @module shell/entity-picker
 * Which entity a page works in: one of the token's entities (or a typed id when the token names
 * none), remembered for the tab so the list, credentials and templates pages agree.
 */
import { useState } from 'react';
import { useSession } from './session-context.tsx';

const ENTITY_KEY = 'workflow-core.entity';

export const isEntityId = (value: string) => /^\d+$/.test(value);

export function useEntityChoice(): [string, (entity: string) => void] {
  const { claims } = useSession();
  const entities = claims?.entities ?? [];
  const [entity, setEntity] = useState<string>(
    () => sessionStorage.getItem(ENTITY_KEY) ?? (entities.length ? String(entities[0]) : ''),
  );
  const pick = (value: string) => {
    setEntity(value);
    sessionStorage.setItem(ENTITY_KEY, value);
  };
  return [entity, pick];
}

export function EntityPicker({ value, onChange }: { value: string; onChange: (entity: string) => void }) {
  const { claims } = useSession();
  const entities = claims?.entities ?? [];
  return (
    <>
      <label htmlFor="entity-picker">Entity</label>
      {entities.length ? (
        <select id="entity-picker" value={value} onChange={(event) => onChange(event.target.value)}>
          {entities.map((e) => (
            <option key={String(e)} value={String(e)}>
              {String(e)}
            </option>
          ))}
        </select>
      ) : (
        <input
          id="entity-picker"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          inputMode="numeric"
          size={8}
        />
      )}
    </>
  );
}
