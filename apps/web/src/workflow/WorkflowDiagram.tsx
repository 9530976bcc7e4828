import { Box, Stack, Typography } from '@mui/material';
import type { StageKind, WorkflowDefinitionDto } from '@portal/contracts';
import { useId, useMemo } from 'react';
import { useTranslate } from 'react-admin';
import { layoutWorkflow, type PlacedState } from './layout';
import { STAGE_COLOURS } from './stages';

const BOX_W = 150;
const BOX_H = 42;
const ROW_H = 78;
const COL_X = { [-1]: 120, 0: 420, 1: 720 } as const;
const TOP = 36;
const WIDTH = 860;

const KIND_LABEL_KEYS: Record<StageKind, string> = {
  applicant: 'app.diagram.kind_applicant',
  review: 'app.diagram.kind_review',
  panel: 'app.diagram.kind_panel',
  timed: 'app.diagram.kind_timed',
  final: 'app.diagram.kind_final',
};

const centre = (p: PlacedState) => ({ x: COL_X[p.col], y: TOP + p.row * ROW_H + BOX_H / 2 });

/**
 * A workflow definition as an SVG: stages as boxes coloured by kind, arrows labelled with the actions,
 * the current stage highlighted. The spine (the usual path) runs top to bottom; returns to the applicant
 * on the left, the other endings on the right.
 */
export function WorkflowDiagram({ definition, current }: { definition: WorkflowDefinitionDto; current?: string }) {
  const translate = useTranslate();
  const uid = useId().replace(/:/g, '');
  const layout = useMemo(() => layoutWorkflow(definition), [definition]);
  const height = TOP * 2 + layout.rows * ROW_H;

  const edges = layout.edges.map((e, i) => {
    const a = layout.states.get(e.from)!;
    const b = layout.states.get(e.to)!;
    const ca = centre(a);
    const cb = centre(b);
    let d: string;
    let lx: number;
    let ly: number;
    let anchor: 'start' | 'middle' | 'end' = 'middle';
    if (a.col === b.col && Math.abs(a.row - b.row) === 1 && a.row < b.row && a.col === 0) {
      // down the spine
      const y1 = ca.y + BOX_H / 2;
      const y2 = cb.y - BOX_H / 2;
      d = `M ${ca.x} ${y1} L ${cb.x} ${y2}`;
      lx = ca.x + 8;
      ly = (y1 + y2) / 2 + 4;
      anchor = 'start';
    } else if (a.col === b.col) {
      // back (or skipping) along one column: an arc out to the side
      const side = a.col === 1 ? 1 : -1;
      const x = ca.x + (side * BOX_W) / 2;
      const bulge = side * (36 + 14 * Math.abs(a.row - b.row));
      d = `M ${x} ${ca.y} C ${x + bulge} ${ca.y}, ${x + bulge} ${cb.y}, ${x} ${cb.y}`;
      lx = x + bulge * 0.75 + side * 4;
      ly = (ca.y + cb.y) / 2 + 4;
      anchor = side > 0 ? 'start' : 'end';
    } else {
      const dir = cb.x > ca.x ? 1 : -1;
      const x1 = ca.x + (dir * BOX_W) / 2;
      const x2 = cb.x - (dir * BOX_W) / 2;
      const mx = (x1 + x2) / 2;
      d = `M ${x1} ${ca.y} C ${mx} ${ca.y}, ${mx} ${cb.y}, ${x2} ${cb.y}`;
      lx = mx;
      ly = (ca.y + cb.y) / 2 - 4;
    }
    return (
      <g key={i}>
        <path d={d} fill="none" stroke={e.dashed ? '#9aa5b1' : '#6b7785'} strokeWidth={1.3} strokeDasharray={e.dashed ? '5 4' : undefined} markerEnd={`url(#arrow-${uid})`} />
        {e.showLabel && (
          <text x={lx} y={ly} fontSize={11} textAnchor={anchor} fill="#364152" stroke="#fff" strokeWidth={3} paintOrder="stroke">
            {e.labels.join(' / ')}
          </text>
        )}
      </g>
    );
  });

  const loops = [...layout.loops.entries()].map(([key, labels]) => {
    const p = layout.states.get(key);
    if (!p) return null;
    const c = centre(p);
    const x = c.x + BOX_W / 2;
    return (
      <g key={`loop-${key}`}>
        <path d={`M ${x} ${c.y - 8} C ${x + 34} ${c.y - 30}, ${x + 34} ${c.y + 30}, ${x} ${c.y + 8}`} fill="none" stroke="#6b7785" strokeWidth={1.2} markerEnd={`url(#arrow-${uid})`} />
        {labels.map((l, i) => (
          <text key={l} x={x + 32} y={c.y - ((labels.length - 1) * 13) / 2 + i * 13 + 4} fontSize={11} fill="#364152" stroke="#fff" strokeWidth={3} paintOrder="stroke">
            {l}
          </text>
        ))}
      </g>
    );
  });

  const boxes = [...layout.states.values()].map((p) => {
    const c = centre(p);
    const colour = STAGE_COLOURS[p.state.kind];
    const isCurrent = p.state.key === current;
    return (
      <g key={p.state.key} data-state={p.state.key} data-current={isCurrent ? 'true' : undefined}>
        <rect
          x={c.x - BOX_W / 2}
          y={c.y - BOX_H / 2}
          width={BOX_W}
          height={BOX_H}
          rx={8}
          fill={isCurrent ? colour.stroke : colour.fill}
          stroke={isCurrent ? '#0f356f' : colour.stroke}
          strokeWidth={isCurrent ? 3 : 1.4}
          filter={isCurrent ? `url(#shadow-${uid})` : undefined}
        />
        <text x={c.x} y={c.y + 5} textAnchor="middle" fontSize={14} fontWeight={isCurrent ? 700 : 500} fill={isCurrent ? '#fff' : colour.text}>
          {p.state.label}
        </text>
        {isCurrent && (
          <text x={c.x} y={c.y - BOX_H / 2 - 6} textAnchor="middle" fontSize={11} fontWeight={700} fill="#0f356f">
            {translate('app.diagram.current')}
          </text>
        )}
      </g>
    );
  });

  return (
    <Box data-testid="workflow-diagram">
      <Box sx={{ overflowX: 'auto' }}>
        <svg
          viewBox={`0 0 ${WIDTH} ${height}`}
          width="100%"
          style={{ maxWidth: WIDTH, minWidth: 560, display: 'block', fontFamily: 'inherit' }}
          role="img"
          aria-label={translate('app.diagram.aria', { title: definition.title })}
        >
          <defs>
            <marker id={`arrow-${uid}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#6b7785" />
            </marker>
            <filter id={`shadow-${uid}`} x="-20%" y="-30%" width="140%" height="160%">
              <feDropShadow dx="0" dy="2" stdDeviation="2.5" floodColor="#0f356f" floodOpacity="0.35" />
            </filter>
          </defs>
          {edges}
          {loops}
          {boxes}
        </svg>
      </Box>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', mt: 1 }}>
        {(Object.keys(STAGE_COLOURS) as StageKind[]).map((k) => (
          <Stack key={k} direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
            <Box sx={{ width: 14, height: 14, borderRadius: 0.5, bgcolor: STAGE_COLOURS[k].fill, border: `1.5px solid ${STAGE_COLOURS[k].stroke}` }} />
            <Typography variant="caption">{translate(KIND_LABEL_KEYS[k])}</Typography>
          </Stack>
        ))}
        <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
          <Box component="svg" sx={{ width: 28, height: 10 }}>
            <line x1="0" y1="5" x2="28" y2="5" stroke="#9aa5b1" strokeDasharray="5 4" strokeWidth="1.5" />
          </Box>
          <Typography variant="caption">{translate('app.diagram.dashed')}</Typography>
        </Stack>
      </Stack>
    </Box>
  );
}
