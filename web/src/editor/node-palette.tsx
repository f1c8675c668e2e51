/**
 * @module editor/node-palette
 * The node types grouped by category, with search. Drag one onto the canvas, or press Enter
 * (or click) to add it in the middle of the view. Each item is named by its node type.
 */
import { useMemo, useState } from 'react';
import type { NodeTypeInfo } from '../api/types.ts';
import { CATEGORY_GLYPHS, paletteGroups } from './node-catalog.ts';
import { PALETTE_MIME } from './workflow-canvas.tsx';

export function NodePalette({
  types,
  onAdd,
  disabled,
}: {
  types: readonly NodeTypeInfo[];
  onAdd: (nodeType: string) => void;
  disabled: boolean;
}) {
  const [search, setSearch] = useState('');
  const groups = useMemo(() => paletteGroups(types, search), [types, search]);
  return (
    <aside className="palette" aria-label="Node palette">
      <label className="sr-only" htmlFor="palette-search">
        Search node types
      </label>
      <input
        id="palette-search"
        type="search"
        placeholder="Search nodes…"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        onKeyDown={(event) => {
          const first = groups[0]?.[1][0];
          if (event.key === 'Enter' && first && !disabled) onAdd(first.node_type);
        }}
      />
      {groups.map(([category, list]) => (
        <section key={category} className="palette-group" aria-label={`${category} nodes`}>
          <h3 className={`palette-title category-${category}`}>
            <span aria-hidden="true">{CATEGORY_GLYPHS[category]}</span> {category}
          </h3>
          <ul>
            {list.map((type) => (
              <li key={type.node_type}>
                <button
                  type="button"
                  className={`palette-item category-${category}`}
                  aria-label={type.node_type}
                  title={type.description}
                  draggable={!disabled}
                  disabled={disabled}
                  onDragStart={(event) => {
                    event.dataTransfer.setData(PALETTE_MIME, type.node_type);
                    event.dataTransfer.effectAllowed = 'copy';
                  }}
                  onClick={() => onAdd(type.node_type)}
                >
                  {type.node_type.replace(/^[a-z]+_/, '').replace(/_/g, ' ')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {groups.length === 0 && <p className="muted">No node type matches.</p>}
    </aside>
  );
}
