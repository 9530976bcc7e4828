import type { WorkflowDefinitionDto, WorkflowStateDto } from '@portal/contracts';

/** A drawable workflow: each state with a grid position, each edge (merged by from/to) with its labels. */
export interface PlacedState {
  state: WorkflowStateDto;
  row: number;
  col: -1 | 0 | 1;
}

export interface PlacedEdge {
  from: string;
  to: string;
  labels: string[];
  /** drawn dashed: "back to the stage that returned it" */
  dashed: boolean;
  /** the label is shown on the first edge of a group with the same target and label only */
  showLabel: boolean;
}

export interface WorkflowLayout {
  states: Map<string, PlacedState>;
  edges: PlacedEdge[];
  loops: Map<string, string[]>;
  rows: number;
}

/**
 * A simple layered layout: the longest path from the initial state through review stages to a final
 * state is the spine (one column, top to bottom); other applicant states go to the left, other final
 * states to the right, each level with the spine stages it connects to.
 */
export function layoutWorkflow(def: WorkflowDefinitionDto): WorkflowLayout {
  const byKey = new Map(def.states.map((s) => [s.key, s]));
  const loops = new Map<string, string[]>();
  const pairs = new Map<string, PlacedEdge>();
  const returnSources = def.transitions.filter((t) => byKey.get(t.to)?.kind === 'applicant' && t.kind === 'return').map((t) => t.from);

  const addEdge = (from: string, to: string, label: string, dashed: boolean) => {
    const key = `${from}>${to}`;
    const e = pairs.get(key) ?? { from, to, labels: [], dashed, showLabel: true };
    if (!e.labels.includes(label)) e.labels.push(label);
    pairs.set(key, e);
  };
  for (const t of def.transitions) {
    if (!byKey.has(t.from)) continue;
    if (t.to === t.from) {
      const l = loops.get(t.from) ?? [];
      if (!l.includes(t.label)) l.push(t.label);
      loops.set(t.from, l);
    } else if (t.to.startsWith('@')) {
      for (const back of new Set(returnSources)) if (back !== t.from) addEdge(t.from, back, t.label, true);
    } else if (byKey.has(t.to)) {
      addEdge(t.from, t.to, t.label, false);
    }
  }
  const edges = [...pairs.values()];

  // the spine: longest simple path from the initial state, through non-applicant states, ending in a final one
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.dashed) continue;
    const to = byKey.get(e.to)!;
    if (to.kind === 'applicant') continue;
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }
  let best: string[] = [def.initial];
  const score = (p: string[]) => p.length * 2 + (byKey.get(p.at(-1)!)?.outcome === 'positive' ? 1 : 0);
  const walk = (path: string[], depth: number) => {
    const last = path.at(-1)!;
    if (byKey.get(last)?.kind === 'final' && score(path) > score(best)) best = [...path];
    if (depth > 40) return;
    for (const n of next.get(last) ?? []) if (!path.includes(n)) walk([...path, n], depth + 1);
  };
  walk([def.initial], 0);
  if (best.length === 1) best = def.states.filter((s) => s.kind !== 'final').map((s) => s.key);

  const states = new Map<string, PlacedState>();
  best.forEach((k, i) => states.set(k, { state: byKey.get(k)!, row: i, col: 0 }));
  const taken = new Set<string>();
  const rows = Math.max(best.length, 1);

  for (const s of def.states) {
    if (states.has(s.key)) continue;
    const col: -1 | 1 = s.kind === 'applicant' ? -1 : 1;
    const neighbourRows = edges
      .filter((e) => !e.dashed && (e.from === s.key || e.to === s.key))
      .map((e) => states.get(e.from === s.key ? e.to : e.from))
      .filter((p): p is PlacedState => !!p && p.col === 0)
      .map((p) => p.row);
    const anchor = neighbourRows.length ? Math.round(neighbourRows.reduce((a, b) => a + b, 0) / neighbourRows.length) : rows - 1;
    let row = anchor;
    for (let d = 0; d < rows * 2 + 2; d++) {
      const candidate = anchor + (d % 2 === 0 ? d / 2 : -Math.ceil(d / 2));
      if (candidate < 0) continue;
      if (!taken.has(`${col}:${candidate}`)) {
        row = candidate;
        break;
      }
    }
    taken.add(`${col}:${row}`);
    states.set(s.key, { state: s, row, col });
  }

  // one label per (target, label): five "撤回申请" arrows into 已撤回 carry it once
  const seen = new Set<string>();
  for (const e of edges) {
    const key = `${e.to}|${e.labels.join('/')}`;
    e.showLabel = !seen.has(key);
    seen.add(key);
  }
  const maxRow = Math.max(...[...states.values()].map((p) => p.row));
  return { states, edges, loops, rows: maxRow + 1 };
}
