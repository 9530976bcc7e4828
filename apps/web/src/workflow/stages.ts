import {
  countyName,
  ROLE_LABELS,
  type CaseSummaryDto,
  type FinalOutcome,
  type StageKind,
  type WorkflowDefinitionDto,
  type WorkflowStateDto,
} from '@portal/contracts';
import { daysUntil, formatDate } from '../common/format';

/** Colours of a stage by its kind (boxes of the diagram, chips of lists). */
export const STAGE_COLOURS: Record<StageKind, { fill: string; stroke: string; text: string }> = {
  applicant: { fill: '#e8f0fb', stroke: '#4a78c2', text: '#0f356f' },
  review: { fill: '#fff4e5', stroke: '#e08a00', text: '#7a4a00' },
  panel: { fill: '#f3e8fd', stroke: '#8e44c9', text: '#4d1f73' },
  timed: { fill: '#e7f6ec', stroke: '#2e9d55', text: '#1c5e34' },
  active: { fill: '#e6f6f7', stroke: '#1b8a94', text: '#0d4a50' },
  final: { fill: '#eef1f4', stroke: '#7b8794', text: '#2f3a45' },
};

export type ChipColour = 'default' | 'primary' | 'secondary' | 'success' | 'warning' | 'error' | 'info';

/** A chip's colour by the stage's kind; a final state by the outcome its definition states (not by its name). */
export function stageChipColour(state: string, kind: StageKind | undefined, outcome?: FinalOutcome): ChipColour {
  if (kind === 'final') return outcome === 'positive' ? 'success' : outcome === 'negative' ? 'error' : 'default';
  if (state === 'returned') return 'warning';
  if (kind === 'applicant') return 'info';
  if (kind === 'timed') return 'success';
  if (kind === 'active') return 'info';
  if (kind === 'panel') return 'secondary';
  return 'primary';
}

/** A stage chip's look: the diagram's colours by kind; closed cases green (certified) or red (refused). */
export function stageChipSx(state: string, kind: StageKind | undefined): Record<string, unknown> {
  if (kind === 'final') return {};
  if (stageChipColour(state, kind) === 'warning') return {};
  const c = STAGE_COLOURS[kind ?? 'review'];
  return { bgcolor: c.fill, color: c.text, border: `1px solid ${c.stroke}`, fontWeight: 500 };
}

export const stateOf = (def: WorkflowDefinitionDto | undefined, key: string): WorkflowStateDto | undefined => def?.states.find((s) => s.key === key);

export const stateLabel = (def: WorkflowDefinitionDto | undefined, key: string | null | undefined): string => (key ? (stateOf(def, key)?.label ?? key) : '');

/** The label of an action by its name (the first transition that has it), or a word for the engine's own events. */
export function actionLabel(def: WorkflowDefinitionDto | undefined, action: string): string {
  const t = def?.transitions.find((x) => x.action === action);
  if (t) return t.label;
  const own: Record<string, string> = {
    create: '创建',
    claim: '认领',
    release: '释放',
    reassign: '改派',
    // a task's holder changing (on the case's chain)
    task_claim: '认领任务',
    task_release: '释放任务',
    task_reassign: '改派任务',
    escalate: '督办',
    objection: '收到异议',
    objection_resolved: '异议处理',
    resolve_objection: '处理异议',
    appoint: '增补专家',
    // an organisation invited by credit code became the party (InvitationsService.accept)
    invitation_accepted: '接受邀请',
    timeout: '超时',
    // what happens to a decided case's certification and its subsidy afterwards (on the same chain)
    revoke_certification: '撤销认定',
    subsidy_pay: '登记补助拨付',
    subsidy_cancel: '撤销补助',
    subsidy_recover: '登记补助追回',
  };
  return own[action] ?? action;
}

/**
 * Who holds a stage, in words an applicant understands (鹿城区教育局, 温州市教育局, 评审专家组…). A stage worked by a
 * party of the case (`actor: 'party:host'`) names the party by its label in the definition, with its organisation's
 * name when the case knows it: 接收企业（温州瓯江电气科技有限公司）.
 */
export function stageHolder(
  st: WorkflowStateDto | undefined,
  c: Pick<CaseSummaryDto, 'countyCode' | 'parties' | 'ownerUserId'> | undefined,
  def?: WorkflowDefinitionDto,
): string {
  if (!st) return '';
  const partyActor = [st.actor, st.scope].find((a) => a?.startsWith('party:'));
  if (partyActor) {
    const key = partyActor.slice('party:'.length);
    const party = c?.parties?.find((p) => p.party === key);
    const label = def?.parties?.find((p) => p.key === key)?.label ?? party?.label ?? '当事方';
    return party?.organisationName ? `${label}（${party.organisationName}）` : label;
  }
  if (st.actor === 'owner_person') return '申请人本人';
  // a person's own case (a teacher's record) is theirs to correct, not an organisation's
  if (st.kind === 'applicant') return c?.ownerUserId != null ? '申请人本人' : '申请单位';
  if (st.kind === 'panel') return '市教育局组织的评审专家组';
  if (st.kind === 'timed') return '社会公示（市教育局）';
  if (st.kind === 'final') return '';
  if (st.scope === 'county' || st.role === 'county_reviewer') {
    const county = countyName(c?.countyCode ?? undefined);
    return county ? `${county}教育局` : '所在县（市、区）教育局';
  }
  if (st.role === 'city_reviewer' || st.scope === 'city') return '温州市教育局';
  if (st.role === 'finance') return '财政局';
  return st.role ? ROLE_LABELS[st.role].zh : '';
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** One sentence on where the case stands: stage, who holds it, by when (app.progress.*). */
export function progressInWords(c: CaseSummaryDto, def: WorkflowDefinitionDto | undefined, viewerIsOwner: boolean, t: Translate): string {
  const st = stateOf(def, c.state);
  const due = c.stageDueAt ? formatDate(c.stageDueAt) : null;
  const left = daysUntil(c.stageDueAt);
  const late = left !== null && left < 0 ? t('app.progress.late', { n: -left }) : '';
  if (!st) return t('app.progress.stage', { stage: c.stateLabel });
  const holder = stageHolder(st, c, def);
  switch (st.kind) {
    case 'applicant':
      if (c.openReturn) {
        const from = stateLabel(def, c.openReturn.fromState);
        const deadline = c.openReturn.deadline ? formatDate(c.openReturn.deadline) : null;
        if (viewerIsOwner) return deadline ? t('app.progress.returned_owner_by', { from, date: deadline }) : t('app.progress.returned_owner', { from });
        return t('app.progress.returned_other', { date: deadline ?? '—' });
      }
      if (c.submissions === 0) return t(viewerIsOwner ? 'app.progress.draft_owner' : 'app.progress.draft_other');
      return t('app.progress.applicant', { stage: st.label });
    case 'review':
      return due ? t('app.progress.review_due', { stage: st.label, holder, date: due, late }) : t('app.progress.review', { stage: st.label, holder });
    case 'panel':
      return due ? t('app.progress.panel_due', { stage: st.label, holder, date: due, late }) : t('app.progress.panel', { stage: st.label, holder });
    case 'timed':
      return due ? t('app.progress.timed_due', { stage: st.label, date: due }) : t('app.progress.timed', { stage: st.label });
    case 'active':
      return t('app.progress.active', { stage: st.label });
    case 'final':
      return t('app.progress.final', { stage: st.label });
    default:
      return t('app.progress.stage', { stage: st.label });
  }
}
