import { countyName, ROLE_LABELS, type CaseSummaryDto, type StageKind, type WorkflowDefinitionDto, type WorkflowStateDto } from '@portal/contracts';
import { daysUntil, formatDate } from '../common/format';

/** Colours of a stage by its kind (boxes of the diagram, chips of lists). */
export const STAGE_COLOURS: Record<StageKind, { fill: string; stroke: string; text: string }> = {
  applicant: { fill: '#e8f0fb', stroke: '#4a78c2', text: '#0f356f' },
  review: { fill: '#fff4e5', stroke: '#e08a00', text: '#7a4a00' },
  panel: { fill: '#f3e8fd', stroke: '#8e44c9', text: '#4d1f73' },
  timed: { fill: '#e7f6ec', stroke: '#2e9d55', text: '#1c5e34' },
  final: { fill: '#eef1f4', stroke: '#7b8794', text: '#2f3a45' },
};

/** Final states that end well or badly, by their key (the definition only says "final"). */
const POSITIVE_FINAL = /^(certified|confirmed|approved|filed|completed|closed|counted)$/;
const NEGATIVE_FINAL = /^(rejected|not_certified|declined|refused)$/;

export type ChipColour = 'default' | 'primary' | 'secondary' | 'success' | 'warning' | 'error' | 'info';

export function stageChipColour(state: string, kind: StageKind | undefined): ChipColour {
  if (kind === 'final') return POSITIVE_FINAL.test(state) ? 'success' : NEGATIVE_FINAL.test(state) ? 'error' : 'default';
  if (state === 'returned') return 'warning';
  if (kind === 'applicant') return 'info';
  if (kind === 'timed') return 'success';
  if (kind === 'panel') return 'secondary';
  return 'primary';
}

export const stateOf = (def: WorkflowDefinitionDto | undefined, key: string): WorkflowStateDto | undefined => def?.states.find((s) => s.key === key);

export const stateLabel = (def: WorkflowDefinitionDto | undefined, key: string | null | undefined): string =>
  key ? (stateOf(def, key)?.label ?? key) : '';

/** The label of an action by its name (the first transition that has it), or a word for the engine's own events. */
export function actionLabel(def: WorkflowDefinitionDto | undefined, action: string): string {
  const t = def?.transitions.find((x) => x.action === action);
  if (t) return t.label;
  const own: Record<string, string> = {
    create: '创建',
    claim: '认领',
    release: '释放',
    reassign: '改派',
    escalate: '督办',
    objection: '收到异议',
    objection_resolved: '异议处理',
    appoint: '增补专家',
    timeout: '超时',
  };
  return own[action] ?? action;
}

/** Who holds a stage, in words an applicant understands (鹿城区教育局, 温州市教育局, 评审专家组…). */
export function stageHolder(st: WorkflowStateDto | undefined, countyCode: string | null | undefined): string {
  if (!st) return '';
  if (st.kind === 'applicant') return '申请单位';
  if (st.kind === 'panel') return '市教育局组织的评审专家组';
  if (st.kind === 'timed') return '社会公示（市教育局）';
  if (st.kind === 'final') return '';
  if (st.scope === 'county' || st.role === 'county_reviewer') {
    const county = countyName(countyCode ?? undefined);
    return county ? `${county}教育局` : '所在县（市、区）教育局';
  }
  if (st.role === 'city_reviewer' || st.scope === 'city') return '温州市教育局';
  if (st.role === 'finance') return '财政局';
  return st.role ? ROLE_LABELS[st.role].zh : '';
}

/** One sentence on where the case stands: stage, who holds it, by when. */
export function progressInWords(c: CaseSummaryDto, def: WorkflowDefinitionDto | undefined, viewerIsOwner: boolean): string {
  const st = stateOf(def, c.state);
  const due = c.stageDueAt ? formatDate(c.stageDueAt) : null;
  const left = daysUntil(c.stageDueAt);
  const late = left !== null && left < 0 ? `（已逾期 ${-left} 天）` : '';
  if (!st) return `当前阶段：${c.stateLabel}`;
  switch (st.kind) {
    case 'applicant':
      if (c.openReturn) {
        const by = c.openReturn.deadline ? `请在 ${formatDate(c.openReturn.deadline)} 前` : '请';
        return viewerIsOwner
          ? `申请已退回补正（${stateLabel(def, c.openReturn.fromState)}退回）。${by}按下列清单修改后重新提交。`
          : `申请已退回申请单位补正，补正期限 ${c.openReturn.deadline ? formatDate(c.openReturn.deadline) : '未定'}。`;
      }
      return c.submissions === 0
        ? viewerIsOwner
          ? '申请正在填报中，尚未提交。填写的内容会自动保存，资格预审全部通过后即可提交申报。'
          : '申请单位正在填报，尚未提交。'
        : `申请处于“${st.label}”阶段，由申请单位办理。`;
    case 'review':
      return `申请正在“${st.label}”阶段，由${stageHolder(st, c.countyCode)}办理${due ? `，办理时限至 ${due}${late}` : ''}。`;
    case 'panel':
      return `申请正在“${st.label}”阶段，由${stageHolder(st, c.countyCode)}评分${due ? `，评审截止 ${due}${late}` : ''}。`;
    case 'timed':
      return `申请正在${st.label}${due ? `，公示期至 ${due}` : ''}；公示期满且无异议后进入下一阶段。`;
    case 'final':
      return `申请已办结：${st.label}。`;
    default:
      return `当前阶段：${st.label}`;
  }
}
