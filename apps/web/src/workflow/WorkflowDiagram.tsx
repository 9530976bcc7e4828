import { Box, Stack, Typography } from '@mui/material';
import type { StageKind, WorkflowDefinitionDto } from '@portal/contracts';
import { useId, useMemo, type ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import { layoutWorkflow, type PlacedEdge, type PlacedState } from './layout';
import { STAGE_COLOURS } from './stages';

const BOX_W = 150;
const BOX_H = 44;
const ROW_H = 80;
const COL_X = { [-1]: 100, 0: 450, 1: 800 } as const;
const TOP = 40;
const WIDTH = 900;
const EDGE = '#6b7785';
const DASHED = '#8a96a3';

const KIND_LABEL_KEYS: Record<StageKind, string> = {
  applicant: 'app.diagram.kind_applicant',
  review: 'app.diagram.kind_review',
  panel: 'app.diagram.kind_panel',
  timed: 'app.diagram.kind_timed',
  active: 'app.diagram.kind_active',
  final: 'app.diagram.kind_final',
};

const cx = (p: PlacedState) => COL_X[p.col];
const cy = (p: PlacedState) => TOP + p.row * ROW_H + BOX_H / 2;
const left = (p: PlacedState) => cx(p) - BOX_W / 2;
const right = (p: PlacedState) => cx(p) + BOX_W / 2;
const poly = (pts: Array<[number, number]>) => pts.map(([x, y], i) => `${i ? 'L' : 'M'} ${x} ${y}`).join(' ');

interface Drawn {
  paths: Array<{ d: string; dashed: boolean; arrow: boolean }>;
  labels: Array<{ x: number; y: number; text: string; anchor: 'start' | 'middle' | 'end' }>;
  dots: Array<[number, number]>;
}

/**
 * Route the edges: down the spine as straight arrows with the label beside them; back along the spine as
 * an arc on the left; from the spine to a side stage through a vertical "bus" (one per target and label, so
 * five 撤回申请 arrows become one); from a side stage back to the spine as one dashed arrow onto the
 * reverse bus (补正后重新提交 goes back to whichever stage returned it); side to side along the bottom.
 */
function route(states: Map<string, PlacedState>, edges: PlacedEdge[], rows: number): Drawn & { bottom: number } {
  const out: Drawn = { paths: [], labels: [], dots: [] };
  const bottom = TOP + rows * ROW_H + 6;
  const buses = new Map<string, { x: number; side: -1 | 1; target: PlacedState; sources: PlacedState[]; label: string; dashed: boolean; extendTo?: number }>();
  const busCount = { [-1]: 0, 1: 0 } as Record<-1 | 1, number>;
  const spineLeft = COL_X[0] - BOX_W / 2;
  const spineRight = COL_X[0] + BOX_W / 2;
  const busX = (side: -1 | 1) => {
    const k = busCount[side]++;
    return side === 1 ? spineRight + 36 + 22 * k : COL_X[-1] + BOX_W / 2 + 22 + 22 * k;
  };
  const label = (e: PlacedEdge) => (e.showLabel ? e.labels.join(' / ') : '');

  // spine → side: group into buses
  for (const e of edges) {
    const a = states.get(e.from)!;
    const b = states.get(e.to)!;
    if (a.col !== 0 || b.col === 0) continue;
    const key = `${e.to}|${e.labels.join('/')}|${e.dashed}`;
    let bus = buses.get(key);
    if (!bus) {
      bus = { x: busX(b.col), side: b.col, target: b, sources: [], label: '', dashed: e.dashed };
      buses.set(key, bus);
    }
    bus.sources.push(a);
    if (e.showLabel) bus.label = e.labels.join(' / ');
  }
  const busInto = (target: string) => [...buses.values()].find((b) => b.target.state.key === target);

  for (const e of edges) {
    const a = states.get(e.from)!;
    const b = states.get(e.to)!;
    if (a.col === 0 && b.col === 0) {
      if (b.row === a.row + 1) {
        out.paths.push({
          d: poly([
            [cx(a), cy(a) + BOX_H / 2],
            [cx(b), cy(b) - BOX_H / 2],
          ]),
          dashed: e.dashed,
          arrow: true,
        });
        if (label(e)) out.labels.push({ x: cx(a) + 8, y: (cy(a) + cy(b)) / 2 + 4, text: label(e), anchor: 'start' });
      } else {
        const bulge = 26 + 8 * Math.abs(a.row - b.row);
        const x = spineLeft;
        out.paths.push({ d: `M ${x} ${cy(a) - 6} C ${x - bulge} ${cy(a) - 6}, ${x - bulge} ${cy(b) + 6}, ${x} ${cy(b) + 6}`, dashed: e.dashed, arrow: true });
        if (label(e)) out.labels.push({ x: x - bulge * 0.75 - 6, y: (cy(a) + cy(b)) / 2 + 4, text: label(e), anchor: 'end' });
      }
    } else if (a.col !== 0 && b.col === 0) {
      // side → spine: onto the reverse bus when there is one (back to whichever stage sent it)
      const reverse = busInto(a.state.key);
      if (reverse && reverse.sources.some((s) => s.state.key === b.state.key)) {
        const key = `back|${a.state.key}|${e.labels.join('/')}`;
        if (buses.has(key)) continue;
        buses.set(key, { x: reverse.x, side: reverse.side, target: a, sources: [], label: '', dashed: true });
        const y = cy(a) + 12;
        const x1 = a.col === -1 ? right(a) : left(a);
        out.paths.push({
          d: poly([
            [x1, y],
            [reverse.x, y],
          ]),
          dashed: true,
          arrow: true,
        });
        out.labels.push({ x: x1 + (a.col === -1 ? 4 : -4), y: y + 16, text: e.labels.join(' / '), anchor: a.col === -1 ? 'start' : 'end' });
      } else {
        const x = a.col === -1 ? right(a) + 14 : left(a) - 14;
        const x1 = a.col === -1 ? right(a) : left(a);
        const x2 = a.col === -1 ? left(b) : right(b);
        out.paths.push({
          d: poly([
            [x1, cy(a)],
            [x, cy(a)],
            [x, cy(b)],
            [x2, cy(b)],
          ]),
          dashed: e.dashed,
          arrow: true,
        });
        if (label(e)) out.labels.push({ x: (x + x2) / 2, y: cy(b) - 6, text: label(e), anchor: 'middle' });
      }
    } else if (a.col !== 0 && b.col !== 0) {
      // side → side: down, along the bottom, into the target's bus (or up to the target)
      const bus = busInto(b.state.key);
      const x2 = bus ? bus.x : cx(b);
      out.paths.push({
        d: poly([[cx(a), cy(a) + BOX_H / 2], [cx(a), bottom], [x2, bottom], ...(bus ? [] : [[x2, cy(b) + BOX_H / 2] as [number, number]])]),
        dashed: e.dashed,
        arrow: !bus,
      });
      if (bus) bus.extendTo = bottom;
      if (label(e) && !bus) out.labels.push({ x: (cx(a) + x2) / 2, y: bottom - 5, text: label(e), anchor: 'middle' });
    }
  }

  for (const bus of buses.values()) {
    if (!bus.sources.length) continue;
    const t = bus.target;
    const ty = cy(t);
    const ys = bus.sources.map(cy);
    const top = Math.min(...ys, ty);
    const bot = Math.max(...ys, ty, bus.extendTo ?? -Infinity);
    for (const s of bus.sources) {
      const x1 = bus.side === 1 ? right(s) : left(s);
      out.paths.push({
        d: poly([
          [x1, cy(s)],
          [bus.x, cy(s)],
        ]),
        dashed: bus.dashed,
        arrow: false,
      });
      out.dots.push([bus.x, cy(s)]);
    }
    if (bot > top)
      out.paths.push({
        d: poly([
          [bus.x, top],
          [bus.x, bot],
        ]),
        dashed: bus.dashed,
        arrow: false,
      });
    const tx = bus.side === 1 ? left(t) : right(t);
    out.paths.push({
      d: poly([
        [bus.x, ty],
        [tx, ty],
      ]),
      dashed: bus.dashed,
      arrow: true,
    });
    if (bus.label) {
      if (Math.abs(tx - bus.x) > bus.label.length * 11 + 10) out.labels.push({ x: (bus.x + tx) / 2, y: ty - 6, text: bus.label, anchor: 'middle' });
      else out.labels.push({ x: bus.x + (bus.side === 1 ? -4 : 4), y: top - 6, text: bus.label, anchor: bus.side === 1 ? 'end' : 'start' });
    }
  }
  return { ...out, bottom };
}

/**
 * A workflow definition as an SVG: stages as boxes coloured by kind, arrows labelled with the actions,
 * the current stage highlighted. The spine (the usual path) runs top to bottom; returns to the applicant
 * on the left, the other endings on the right; actions that stay in a stage (评分, 回避…) are written in its box.
 */
export function WorkflowDiagram({ definition, current }: { definition: WorkflowDefinitionDto; current?: string }) {
  const translate = useTranslate();
  const uid = useId().replace(/:/g, '');
  const layout = useMemo(() => layoutWorkflow(definition), [definition]);
  const drawn = useMemo(() => route(layout.states, layout.edges, layout.rows), [layout]);
  const hasBottom = layout.edges.some((e) => layout.states.get(e.from)!.col !== 0 && layout.states.get(e.to)!.col !== 0);
  const height = TOP + layout.rows * ROW_H + (hasBottom ? 30 : 0) + 10;

  const boxes: ReactNode[] = [...layout.states.values()].map((p) => {
    const colour = STAGE_COLOURS[p.state.kind];
    const isCurrent = p.state.key === current;
    const loops = layout.loops.get(p.state.key);
    const x = cx(p);
    const y = cy(p);
    return (
      <g key={p.state.key} data-state={p.state.key} data-current={isCurrent ? 'true' : undefined}>
        <rect
          x={x - BOX_W / 2}
          y={y - BOX_H / 2}
          width={BOX_W}
          height={BOX_H}
          rx={8}
          fill={isCurrent ? colour.stroke : colour.fill}
          stroke={isCurrent ? '#0f356f' : colour.stroke}
          strokeWidth={isCurrent ? 3 : 1.4}
          filter={isCurrent ? `url(#shadow-${uid})` : undefined}
        />
        <text x={x} y={loops ? y - 2 : y + 5} textAnchor="middle" fontSize={14} fontWeight={isCurrent ? 700 : 500} fill={isCurrent ? '#fff' : colour.text}>
          {p.state.label}
        </text>
        {loops && (
          <text x={x} y={y + 14} textAnchor="middle" fontSize={9.5} fill={isCurrent ? '#fff' : colour.text} opacity={0.85}>
            ↻ {loops.join('·')}
          </text>
        )}
        {isCurrent && (
          <text x={x} y={y - BOX_H / 2 - 6} textAnchor="middle" fontSize={11} fontWeight={700} fill="#0f356f">
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
          style={{ maxWidth: WIDTH, minWidth: 600, display: 'block', fontFamily: 'inherit', margin: '0 auto' }}
          role="img"
          aria-label={translate('app.diagram.aria', { title: definition.title })}
        >
          <defs>
            <marker id={`arrow-${uid}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill={EDGE} />
            </marker>
            <filter id={`shadow-${uid}`} x="-20%" y="-30%" width="140%" height="160%">
              <feDropShadow dx="0" dy="2" stdDeviation="2.5" floodColor="#0f356f" floodOpacity="0.35" />
            </filter>
          </defs>
          {drawn.paths.map((p, i) => (
            <path
              key={i}
              d={p.d}
              fill="none"
              stroke={p.dashed ? DASHED : EDGE}
              strokeWidth={1.3}
              strokeDasharray={p.dashed ? '5 4' : undefined}
              markerEnd={p.arrow ? `url(#arrow-${uid})` : undefined}
            />
          ))}
          {drawn.dots.map(([x, y], i) => (
            <circle key={i} cx={x} cy={y} r={2.2} fill={EDGE} />
          ))}
          {boxes}
          {drawn.labels.map((l, i) => (
            <text key={i} x={l.x} y={l.y} fontSize={11} textAnchor={l.anchor} fill="#364152" stroke="#fff" strokeWidth={3} paintOrder="stroke">
              {l.text}
            </text>
          ))}
        </svg>
      </Box>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', mt: 1 }}>
        {(Object.keys(STAGE_COLOURS) as StageKind[])
          // the legend names the kinds this workflow has, plus the long-standing four
          .filter((k) => k !== 'active' || definition.states.some((s) => s.kind === k))
          .map((k) => (
            <Stack key={k} direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
              <Box sx={{ width: 14, height: 14, borderRadius: 0.5, bgcolor: STAGE_COLOURS[k].fill, border: `1.5px solid ${STAGE_COLOURS[k].stroke}` }} />
              <Typography variant="caption">{translate(KIND_LABEL_KEYS[k])}</Typography>
            </Stack>
          ))}
        <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
          <Box component="svg" sx={{ width: 28, height: 10 }}>
            <line x1="0" y1="5" x2="28" y2="5" stroke={DASHED} strokeDasharray="5 4" strokeWidth="1.5" />
          </Box>
          <Typography variant="caption">{translate('app.diagram.dashed')}</Typography>
        </Stack>
      </Stack>
    </Box>
  );
}
