import AssignmentLateIcon from '@mui/icons-material/AssignmentLate';
import { Alert, AlertTitle, Box, Button, Card, CardContent, Chip, Step, StepLabel, Stepper, Stack, Typography } from '@mui/material';
import type { CasePartyDto, CaseSummaryDto, CaseSummaryInRecord, WorkflowDefinitionDto } from '@portal/contracts';
import { useMemo, useState, type ReactNode } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../common/api';
import { daysUntil, formatDate } from '../common/format';
import { useMe } from '../common/useMe';
import { CaseActions } from './CaseActions';
import { OpenObjectionsNotice } from './ObjectionsPanel';
import { missingMaterials } from './attachments';
import { casePath, useCase, useCaseAttachments, useDefinition, useRefreshCase } from './hooks';
import { layoutWorkflow } from './layout';
import { progressInWords, stateLabel, stateOf } from './stages';
import { StageChip } from './StageChip';

export { StageChip };

/** The usual path of a workflow (its spine), for a stepper. */
function useSpine(def: WorkflowDefinitionDto | undefined): string[] {
  return useMemo(() => {
    if (!def) return [];
    const l = layoutWorkflow(def);
    const path = [...l.states.values()]
      .filter((p) => p.col === 0)
      .sort((a, b) => a.row - b.row)
      .map((p) => p.state);
    // the path ends at its first outcome: what may follow a decision (a revocation) is not a step towards it
    const end = path.findIndex((s) => s.kind === 'final');
    return (end >= 0 ? path.slice(0, end + 1) : path).map((s) => s.key);
  }, [def]);
}

/** The 补正 list of an open return, with its deadline. */
export function ReturnNotice({ summary, def }: { summary: CaseSummaryDto; def?: WorkflowDefinitionDto }) {
  const translate = useTranslate();
  const r = summary.openReturn;
  if (!r) return null;
  const left = daysUntil(r.deadline);
  return (
    <Alert severity="warning" icon={<AssignmentLateIcon />} data-testid="return-notice">
      <AlertTitle>
        {translate('app.workflow.return_title', { stage: stateLabel(def, r.fromState) })}
        {r.deadline ? `，${translate('app.workflow.return_deadline', { date: formatDate(r.deadline) })}` : ''}
        {left !== null && left < 0 ? `（${translate('app.workflow.overdue_days', { n: -left })}）` : ''}
      </AlertTitle>
      <Box component="ol" sx={{ m: 0, pl: 2.5 }}>
        {r.items.map((it, i) => (
          <li key={i}>
            <Typography variant="body2">{it}</Typography>
          </li>
        ))}
      </Box>
    </Alert>
  );
}

/**
 * To the applicant while the case is theirs to edit: the required materials (the definition's checklist) still
 * without a file, named, since the submit button only appears once the workflow's guard is satisfied. It follows
 * the attachments' query, so an upload anywhere on the page updates it (and the actions) without a reload.
 */
function MissingMaterials({ caseRef, def }: { caseRef: string; def: WorkflowDefinitionDto }) {
  const translate = useTranslate();
  const { data: files } = useCaseAttachments(caseRef);
  if (!files) return null;
  const missing = missingMaterials(def, files);
  if (!missing.length) return null;
  return (
    <Alert severity="warning" data-testid="missing-materials">
      {translate('app.attachments.missing', { names: missing.map((m) => m.label).join('、') })}
    </Alert>
  );
}

/**
 * A named party of the case: its organisation (and person), or, while an invitation by credit code waits for its
 * acceptance, the invited credit code and until when the mailed link holds. The inviter (`canResend`) may mail it again
 * with a fresh link; the server decides in the end (its 403 shows).
 */
function PartyChip({ caseRef, p, canResend }: { caseRef: string; p: CasePartyDto; canResend: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const refreshCase = useRefreshCase();
  const [busy, setBusy] = useState(false);
  const invited = p.invited && p.invitedCreditCode;
  const expired = p.invitationExpiresAt !== null && new Date(p.invitationExpiresAt).getTime() < Date.now();
  const state = !p.invitationExpiresAt
    ? translate('app.workflow.party_invited')
    : translate(expired ? 'app.workflow.party_invitation_expired' : 'app.workflow.party_invited_until', { date: formatDate(p.invitationExpiresAt) });
  const who =
    (p.organisationName && p.acceptedAt ? translate('app.workflow.party_joined', { name: p.organisationName, date: formatDate(p.acceptedAt) }) : null) ??
    p.organisationName ??
    (invited ? translate('app.workflow.party_invited_code', { code: p.invitedCreditCode, state }) : translate('app.workflow.party_invited'));
  const resend = async () => {
    setBusy(true);
    try {
      await api.post(casePath(caseRef, `/parties/${encodeURIComponent(p.party)}/invitation`));
      notify('app.workflow.invitation_resent', { type: 'success' });
      refreshCase(caseRef);
    } catch (e) {
      notify(errorMessage(e), { type: 'warning' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center', maxWidth: '100%' }} data-testid="case-party-entry">
      <Chip
        size="small"
        variant="outlined"
        color={invited ? 'warning' : 'default'}
        data-testid="case-party"
        label={`${p.label}：${who}${p.userName ? ` · ${p.userName}` : ''}`}
        sx={{ maxWidth: '100%' }}
      />
      {invited && canResend && (
        <Button size="small" disabled={busy} onClick={() => void resend()} data-testid="resend-invitation" sx={{ whiteSpace: 'nowrap' }}>
          {translate('app.workflow.resend_invitation')}
        </Button>
      )}
    </Stack>
  );
}

export interface CaseHeaderProps {
  caseRef: string;
  workflowKey: string;
  initial?: CaseSummaryInRecord;
  /** shown right of the title (links, downloads) */
  aside?: ReactNode;
  /** shown under the progress sentence, above the actions */
  children?: ReactNode;
  onDone?: (answer: CaseSummaryDto) => void;
  /** actions not drawn here */
  excludeActions?: readonly string[];
  hideTitle?: boolean;
  actionsDisabledReason?: string;
}

/** Where the case stands, in plain words, with its stage path, open 补正 items and the buttons of the allowed actions. */
export function CaseHeader({ caseRef, workflowKey, initial, aside, children, onDone, excludeActions, hideTitle, actionsDisabledReason }: CaseHeaderProps) {
  const translate = useTranslate();
  const { me } = useMe();
  const { data: summary } = useCase(caseRef, initial);
  const { data: def } = useDefinition(workflowKey);
  const spine = useSpine(def);
  if (!summary) return null;
  const isOwner = me?.organisationId === summary.ownerOrgId;
  // who invited the parties: the person who owns the case (a teacher's record), else its organisation
  const isInviter = summary.ownerUserId != null ? me?.id === summary.ownerUserId : isOwner;
  const kind = stateOf(def, summary.state)?.kind;
  const active = spine.indexOf(summary.state);
  const returnedFrom = summary.openReturn ? spine.indexOf(summary.openReturn.fromState) : -1;
  const stepIndex = active >= 0 ? (kind === 'final' ? active + 1 : active) : returnedFrom >= 0 ? returnedFrom : kind === 'final' ? -1 : 0;
  const left = daysUntil(summary.stageDueAt);
  return (
    <Card data-testid="case-header">
      <CardContent>
        <Stack spacing={2}>
          <Stack direction="row" spacing={1.5} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            {!hideTitle && (
              <Typography variant="h6" component="h2">
                {summary.title}
              </Typography>
            )}
            <StageChip summary={summary} def={def} />
            {summary.stageDueAt && kind !== 'final' && kind !== 'applicant' && (
              <Chip
                size="small"
                variant="outlined"
                color={left !== null && left < 0 ? 'error' : left !== null && left <= 2 ? 'warning' : 'default'}
                label={`${translate('app.workflow.due')} ${formatDate(summary.stageDueAt)}${left !== null && left < 0 ? ` · ${translate('app.tasks.overdue')}` : ''}`}
              />
            )}
            {/* the case's named parties (an order class's enterprise, a practice's host) */}
            {(summary.parties ?? []).map((p) => (
              <PartyChip key={p.party} caseRef={caseRef} p={p} canResend={isInviter} />
            ))}
            <Box sx={{ flex: 1 }} />
            {aside}
          </Stack>
          {spine.length > 1 && (kind !== 'final' || active >= 0) && (
            <Stepper activeStep={stepIndex} alternativeLabel sx={{ overflowX: 'auto', pb: 0.5 }}>
              {spine.map((k, i) => (
                <Step key={k} completed={i < stepIndex}>
                  <StepLabel error={summary.state === 'returned' && i === returnedFrom}>{stateLabel(def, k)}</StepLabel>
                </Step>
              ))}
            </Stepper>
          )}
          <Alert severity={kind === 'final' ? (stateOf(def, summary.state)?.outcome === 'positive' ? 'success' : 'info') : 'info'} data-testid="case-progress">
            {progressInWords(summary, def, isOwner, translate)}
          </Alert>
          {isOwner && kind === 'applicant' && def?.checklist?.length ? <MissingMaterials caseRef={caseRef} def={def} /> : null}
          <ReturnNotice summary={summary} def={def} />
          {summary.openObjections > 0 && <OpenObjectionsNotice caseRef={caseRef} count={summary.openObjections} />}
          {children}
          <CaseActions
            caseRef={caseRef}
            initial={initial}
            onDone={onDone}
            exclude={excludeActions}
            emptyText={translate('app.workflow.no_actions')}
            disabledReason={actionsDisabledReason}
          />
        </Stack>
      </CardContent>
    </Card>
  );
}
