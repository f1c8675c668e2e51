/**
 * @module editor/canvas-projection
 * Keeps React Flow's node objects stable across renders: a node is rebuilt only when its API
 * node, decorations, selection or measured size changed, so a drag of one node among 500
 * touches one object.
 */

import { type CanvasEdge, type CanvasNode, type NodeDecorations, toCanvasEdge, toCanvasNode } from './canvas-model.ts';
import type { Catalog } from './node-catalog.ts';
import type { WorkflowDocument } from './workflow-document.ts';

interface Entry {
  readonly source: unknown;
  readonly decorations: NodeDecorations | undefined;
  readonly selected: boolean;
  readonly measured: { width: number; height: number } | undefined;
  readonly node: CanvasNode;
}

export function createProjection() {
  let nodeCache = new Map<string, Entry>();
  let edgeCache = new Map<unknown, { selected: boolean; edge: CanvasEdge; index: number }>();
  return {
    nodes(
      doc: WorkflowDocument,
      catalog: Catalog,
      decorations: ReadonlyMap<string, NodeDecorations>,
      selection: ReadonlySet<string>,
      measured: ReadonlyMap<string, { width: number; height: number }>,
    ): CanvasNode[] {
      const next = new Map<string, Entry>();
      const out: CanvasNode[] = [];
      for (const [id, source] of Object.entries(doc.nodes)) {
        const decoration = decorations.get(id);
        const selected = selection.has(id);
        const size = measured.get(id);
        let entry = nodeCache.get(id);
        if (
          !entry ||
          entry.source !== source ||
          entry.decorations !== decoration ||
          entry.selected !== selected ||
          entry.measured !== size
        ) {
          const node = toCanvasNode(id, source, catalog, decoration);
          entry = {
            source,
            decorations: decoration,
            selected,
            measured: size,
            node: { ...node, selected, ...(size ? { measured: size } : {}) },
          };
        }
        next.set(id, entry);
        out.push(entry.node);
      }
      nodeCache = next;
      return out;
    },
    edges(doc: WorkflowDocument, selection: ReadonlySet<string>): CanvasEdge[] {
      const next = new Map<unknown, { selected: boolean; edge: CanvasEdge; index: number }>();
      const out = doc.connections.map((connection, index) => {
        const cached = edgeCache.get(connection);
        const base = cached && cached.index === index ? cached.edge : toCanvasEdge(connection, index);
        const selected = selection.has(base.id);
        const edge =
          cached && cached.index === index && cached.selected === selected ? cached.edge : { ...base, selected };
        next.set(connection, { selected, edge, index });
        return edge;
      });
      edgeCache = next;
      return out;
    },
  };
}
