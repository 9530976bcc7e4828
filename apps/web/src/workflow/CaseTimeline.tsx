import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
import { Alert, Box, Button, Chip, CircularProgress, Stack, Typography } from '@mui/material';
import { ROLE_LABELS, isRole, type CaseEventDto, type WorkflowDefinitionDto } from '@portal/contracts';
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../common/api';
import { formatDate, formatDateTime } from '../common/format';
import { casePath, useCaseEvents, useDefinition } from './hooks';
import { actionLabel, STAGE_COLOURS, stateLabel, stateOf } from './stages';

type Payload = {
  items?: string[];
  deadline?: string;
  target?: string;
  scores?: Record<string, number>;
  panel?: number[];
  panelNames?: string[];
  submission?: number;
  average?: number;
  passMark?: number;
  scored?: number;
  [k: string]: unknown;
};

const asPayload = (p: unknown): Payload => (p && typeof p === 'object' && !Array.isArray(p) ? (p as Payload) : {});

/** The role an event was taken in, as users read it: a party by its label in the definition (party:host → 接收企业). */
function roleWord(role: string | null, def: WorkflowDefinitionDto | undefined): string | null {
  if (!role) return null;
  if (role === 'owner') return '申请单位';
  if (role === 'owner_person') return '本人';
  if (role === 'system') return '系统';
  if (role.startsWith('party:')) return def?.parties?.find((p) => p.key === role.slice('party:'.length))?.label ?? '相关单位';
  return isRole(role) ? ROLE_LABELS[role].zh : role;
}

/** A panel criterion's label and order from the definition (events store keys; users read labels). */
function criteriaOf(def: WorkflowDefinitionDto | undefined): Array<{ key: string; label: string }> {
  return (def?.states ?? []).flatMap((s) => s.criteria ?? []);
}

const criterionLabel = (def: WorkflowDefinitionDto | undefined, key: string): string => criteriaOf(def).find((c) => c.key === key)?.label ?? key;

const criterionOrder = (def: WorkflowDefinitionDto | undefined, key: string): number => criteriaOf(def).findIndex((c) => c.key === key);

function EventDetails({ e, def }: { e: CaseEventDto; def: WorkflowDefinitionDto | undefined }) {
  const translate = useTranslate();
  const p = asPayload(e.payload);
  return (
    <>
      {e.comment && (
        <Typography variant="body2" sx={{ mt: 0.5, whiteSpace: 'pre-wrap', bgcolor: 'grey.50', borderLeft: 3, borderColor: 'grey.300', px: 1, py: 0.5 }}>
          {e.comment}
        </Typography>
      )}
      {Array.isArray(p.items) && p.items.length > 0 && (
        <Box sx={{ mt: 0.5 }}>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {translate('app.workflow.return_items')}
            {p.deadline ? `（${translate('app.workflow.deadline')} ${formatDate(p.deadline)}）` : ''}
            {p.target && p.target !== 'returned' ? ` · ${translate('app.workflow.return_target')}：${stateLabel(def, p.target)}` : ''}
          </Typography>
          <Box component="ol" sx={{ m: 0, pl: 3 }}>
            {p.items.map((it, i) => (
              <Typography component="li" variant="body2" key={i}>
                {it}
              </Typography>
            ))}
          </Box>
        </Box>
      )}
      {p.scores && typeof p.scores === 'object' && (
        <Stack direction="row" spacing={0.5} useFlexGap sx={{ mt: 0.5, flexWrap: 'wrap' }}>
          {Object.entries(p.scores)
            .sort(([a], [b]) => criterionOrder(def, a) - criterionOrder(def, b))
            .map(([k, v]) => (
              <Chip key={k} size="small" variant="outlined" label={`${criterionLabel(def, k)} ${v}`} />
            ))}
          <Chip size="small" color="primary" label={`${translate('app.workflow.total')} ${Object.values(p.scores).reduce((a, b) => a + Number(b || 0), 0)}`} />
        </Stack>
      )}
      {typeof p.average === 'number' && (
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          {translate('app.workflow.average_score', { average: Math.round(p.average * 10) / 10, passMark: p.passMark ?? '—', scored: p.scored ?? '—' })}
        </Typography>
      )}
      {Array.isArray(p.panelNames) && p.panelNames.length > 0 && (
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          {translate('app.workflow.panel_members_short')}：{p.panelNames.join('、')}
        </Typography>
      )}
      {Array.isArray(p.panel) && !p.panelNames && p.panel.length > 0 && (
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          {translate('app.workflow.panel_count', { n: p.panel.length })}
        </Typography>
      )}
    </>
  );
}

/**
 * The case's history: who did what, when, from which stage to which, with comments, 补正 items and scores;
 * "X 代 Y" when someone acted for an absent colleague. "核验审计链" recomputes the hash chain on the server.
 */
export function CaseTimeline({ caseRef, workflowKey }: { caseRef: string; workflowKey: string }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const { data: def } = useDefinition(workflowKey);
  const { data: events, isPending, error } = useCaseEvents(caseRef);
  const [verify, setVerify] = useState<{ busy: boolean; valid?: boolean; message?: string }>({ busy: false });

  const runVerify = async () => {
    setVerify({ busy: true });
    try {
      const r = await api.get<{ valid: boolean; events?: number; brokenAt?: { seq: number; reason: string } }>(casePath(caseRef, '/events/verify'));
      setVerify({
        busy: false,
        valid: r.valid,
        message: r.valid
          ? translate('app.workflow.verify_ok', { n: r.events ?? events?.length ?? 0 })
          : translate('app.workflow.verify_bad', { seq: r.brokenAt?.seq ?? '?', reason: r.brokenAt?.reason ?? '' }),
      });
    } catch (e) {
      setVerify({ busy: false, valid: false, message: errorMessage(e) });
    }
  };

  if (isPending) return <CircularProgress size={24} />;
  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  const list = [...(events ?? [])].sort((a, b) => b.seq - a.seq);
  return (
    <Box data-testid="case-timeline">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1.5, flexWrap: 'wrap' }} useFlexGap>
        <Button
          size="small"
          variant="outlined"
          startIcon={verify.busy ? <CircularProgress size={14} /> : <VerifiedUserIcon />}
          onClick={() => void runVerify()}
          disabled={verify.busy}
        >
          {translate('app.workflow.verify')}
        </Button>
        {verify.message && (
          <Alert severity={verify.valid ? 'success' : 'error'} sx={{ py: 0 }} data-testid="verify-result">
            {verify.message}
          </Alert>
        )}
      </Stack>
      {list.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          {translate('app.workflow.no_events')}
        </Typography>
      )}
      <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {list.map((e, i) => {
          const to = stateOf(def, e.toState);
          const colour = STAGE_COLOURS[to?.kind ?? 'final'];
          const who = e.actorName ?? roleWord(e.actorRole, def) ?? translate('app.workflow.system');
          const actor = e.onBehalfOfName ? translate('app.workflow.on_behalf', { actor: who, principal: e.onBehalfOfName }) : who;
          const role = roleWord(e.actorRole, def);
          return (
            <Box component="li" key={e.id} sx={{ display: 'flex', gap: 1.5 }}>
              <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', pt: 0.5 }}>
                <Box sx={{ width: 12, height: 12, borderRadius: '50%', bgcolor: colour.stroke, flexShrink: 0 }} />
                {i < list.length - 1 && <Box sx={{ width: 2, flex: 1, bgcolor: 'grey.300', my: 0.5 }} />}
              </Box>
              <Box sx={{ pb: 2, flex: 1, minWidth: 0 }}>
                <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
                  <Typography variant="subtitle2">{actionLabel(def, e.action)}</Typography>
                  <Typography variant="body2">
                    {actor}
                    {role && e.actorName ? (
                      <Typography component="span" variant="caption" color="text.secondary">
                        （{role}）
                      </Typography>
                    ) : null}
                  </Typography>
                  <Typography variant="caption" color="text.secondary">
                    {formatDateTime(e.at)}
                  </Typography>
                </Stack>
                <Typography variant="caption" color="text.secondary" component="div">
                  {e.fromState && e.fromState !== e.toState ? `${stateLabel(def, e.fromState)} → ${stateLabel(def, e.toState)}` : stateLabel(def, e.toState)}
                  {typeof asPayload(e.payload).submission === 'number'
                    ? ` · ${translate('app.workflow.submission_n', { n: asPayload(e.payload).submission })}`
                    : ''}
                </Typography>
                <EventDetails e={e} def={def} />
              </Box>
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
