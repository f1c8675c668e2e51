/**
 * @module editor/canvas-dots
 * The canvas's dot grid, drawn as React Flow's `<Background gap={20} />` draws it (same pattern,
 * dot size and colour classes), but on its own compositor layer that a pan only moves: React
 * Flow's background shifts its pattern on every pan, so the whole canvas area is painted and
 * rastered again each frame (in software raster that was about a third of the raster time of
 * an auto-panning drag). This one is one gap larger on each side and shifted by the pan modulo
 * the gap, so its pixels change only when the zoom does.
 */
import { type ReactFlowState, useStore } from '@xyflow/react';
import { useId } from 'react';

const GAP = 20;
/** React Flow's default dot size for the dots variant. */
const DOT = 1;
const selectTransform = (s: ReactFlowState) => s.transform;

export function CanvasDots() {
  const id = useId();
  const [x, y, zoom] = useStore(selectTransform);
  const gap = GAP * zoom || 1;
  const radius = (DOT * zoom) / 2;
  const shiftX = (x % gap) - gap;
  const shiftY = (y % gap) - gap;
  return (
    <svg
      className="react-flow__background canvas-dots"
      style={{
        width: `calc(100% + ${2 * gap}px)`,
        height: `calc(100% + ${2 * gap}px)`,
        transform: `translate(${shiftX}px, ${shiftY}px)`,
      }}
      aria-hidden="true"
    >
      <pattern
        id={id}
        width={gap}
        height={gap}
        patternUnits="userSpaceOnUse"
        patternTransform={`translate(-${gap / 2},-${gap / 2})`}
      >
        <circle cx={radius} cy={radius} r={radius} className="react-flow__background-pattern dots" />
      </pattern>
      <rect x="0" y="0" width="100%" height="100%" fill={`url(#${id})`} />
    </svg>
  );
}
