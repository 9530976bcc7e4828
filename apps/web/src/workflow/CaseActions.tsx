import type { UserChoiceDto } from '@portal/contracts';
import AddIcon from '@mui/icons-material/Add';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  IconButton,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { endOfPortalDay, type ActionKind, type ActionRequest, type AllowedAction, type CaseSummaryDto, type CaseSummaryInRecord } from '@portal/contracts';
import { useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { errorMessage, errorStatus, usePortalApi } from '../common/api';
import { todayPlus } from '../common/format';
import { casePath, useCase, useRefreshCase } from './hooks';

type ButtonLook = { variant: 'contained' | 'outlined' | 'text'; color: 'primary' | 'success' | 'warning' | 'error' | 'inherit' | 'secondary' };

const LOOK: Record<ActionKind, ButtonLook> = {
  submit: { variant: 'contained', color: 'primary' },
  approve: { variant: 'contained', color: 'success' },
  score: { variant: 'contained', color: 'primary' },
  return: { variant: 'outlined', color: 'warning' },
  reject: { variant: 'outlined', color: 'error' },
  withdraw: { variant: 'text', color: 'inherit' },
  recuse: { variant: 'outlined', color: 'inherit' },
  system: { variant: 'outlined', color: 'primary' },
  other: { variant: 'outlined', color: 'primary' },
};

export interface CaseActionsProps {
  caseRef: string;
  /** the case as already loaded (an application's embedded `case`), to draw buttons before a fetch */
  initial?: CaseSummaryInRecord;
  /** called with the server's answer after an action succeeded */
  onDone?: (answer: CaseSummaryDto, action: AllowedAction) => void;
  /** actions not to show here (shown elsewhere) */
  exclude?: readonly string[];
  /** what to say when there is nothing to do */
  emptyText?: string;
  /** keep the buttons shown but inactive (e.g. while the form is still saving), with this reason */
  disabledReason?: string;
}

/**
 * The buttons of the actions the server allows this user on this case now (`allowedActions`), each
 * labelled with its action's label (提交申报, 同意推荐, 退回补正, 提交专家评审, 提交评分, 予以认定…), and a
 * dialog asking for exactly what the action needs. The shown case is replaced by the server's answer.
 */
export function CaseActions({ caseRef, initial, onDone, exclude, emptyText, disabledReason }: CaseActionsProps) {
  const { data: summary } = useCase(caseRef, initial);
  const [open, setOpen] = useState<AllowedAction | null>(null);
  const actions = (summary?.allowedActions ?? []).filter((a) => !exclude?.includes(a.action));
  // the viewer's actions a condition holds back (提交 while something is missing): shown inactive, with what is missing;
  // with nothing else to do, NoActionNotice says the same reasons
  const blocked = actions.length ? (summary?.blockedActions ?? []).filter((b) => !exclude?.includes(b.action)) : [];
  if (!summary) return null;
  return (
    <>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }} data-testid="case-actions">
        {actions.length === 0 && emptyText ? <NoActionNotice summary={summary} emptyText={emptyText} /> : null}
        {blocked.map((b) => (
          <Stack key={b.action} direction="row" spacing={1} sx={{ alignItems: 'center' }} data-testid="blocked-action">
            <Button variant="contained" disabled data-action={b.action}>
              {b.label}
            </Button>
            <Typography variant="caption" color="text.secondary" data-testid="blocked-reason">
              {b.reason}
            </Typography>
          </Stack>
        ))}
        {actions.map((a) => {
          const look = LOOK[a.kind] ?? LOOK.other;
          return (
            <Button key={a.action} variant={look.variant} color={look.color} onClick={() => setOpen(a)} data-action={a.action} disabled={!!disabledReason}>
              {a.label}
            </Button>
          );
        })}
        {disabledReason && actions.length > 0 ? (
          <Typography variant="caption" color="text.secondary">
            {disabledReason}
          </Typography>
        ) : null}
      </Stack>
      {open && <ActionDialog key={open.action} summary={summary} action={open} onClose={() => setOpen(null)} onDone={onDone} />}
    </>
  );
}

/**
 * Nothing to do here: say why (the server's reasons: separation of duties, another stage's reviewers, a
 * running 公示…) and who can act at this stage, so a user is never left with a bare "no actions".
 */
function NoActionNotice({ summary, emptyText }: { summary: CaseSummaryDto; emptyText: string }) {
  const translate = useTranslate();
  const reasons = summary.noActionReasons ?? [];
  const who = (summary.whoCanAct ?? []).map((w) => (w.people.length ? `${w.label}（${w.people.join('、')}）` : w.label));
  return (
    <Box data-testid="no-action">
      <Typography variant="body2" color="text.secondary">
        {emptyText}
      </Typography>
      {reasons.map((r) => (
        <Typography key={r} variant="body2" color="text.secondary" data-testid="no-action-reason">
          {r}
        </Typography>
      ))}
      {who.length > 0 && (
        <Typography variant="body2" color="text.secondary" data-testid="who-can-act">
          {translate('app.workflow.who_can_act', { who: who.join('；') })}
        </Typography>
      )}
    </Box>
  );
}

interface ActionDialogProps {
  summary: CaseSummaryDto;
  action: AllowedAction;
  onClose: () => void;
  onDone?: (answer: CaseSummaryDto, action: AllowedAction) => void;
}

const newKey = () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

function ActionDialog({ summary, action, onClose, onDone }: ActionDialogProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const refresh = useRefreshCase();
  const needs = action.needs ?? {};
  const [comment, setComment] = useState('');
  const [items, setItems] = useState<string[]>(['']);
  // the server's default (today + the setting workflow.correctionDays), which the reviewer may change
  const [deadline, setDeadline] = useState(needs.returnDeadline ?? '');
  const [target, setTarget] = useState(needs.returnTargets?.[0]?.state ?? '');
  const [scores, setScores] = useState<Record<string, string>>({});
  const [panel, setPanel] = useState<number[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);
  // one key per dialog: a double click or a retry after a lost answer never acts twice
  const [idempotencyKey] = useState(newKey);
  // a case a person owns (a teacher's practice record) goes back to that person, any other to its applicant organisation
  const returnedTo = translate(summary.ownerUserId != null ? 'app.workflow.return_to_owner_person' : 'app.workflow.return_to_applicant');

  const candidates = useQuery({
    queryKey: ['case-part', summary.ref, 'panel-candidates'],
    queryFn: () => api.get<UserChoiceDto[]>(casePath(summary.ref, '/panel-candidates')),
    enabled: !!needs.panel,
  });

  const criteria = needs.score?.criteria ?? [];
  const scoreProblems = criteria.filter((c) => {
    const raw = scores[c.key];
    if (raw === undefined || raw === '') return true;
    const n = Number(raw);
    return !Number.isFinite(n) || n < 0 || n > c.max;
  });
  const total = criteria.reduce((sum, c) => sum + (Number(scores[c.key]) || 0), 0);
  const maxTotal = criteria.reduce((sum, c) => sum + c.max, 0);
  const filledItems = items.map((s) => s.trim()).filter(Boolean);

  const problems: string[] = [];
  if (needs.comment === 'required' && comment.trim().length === 0) problems.push(translate('app.workflow.need_comment'));
  if (needs.returnItems && filledItems.length === 0) problems.push(translate('app.workflow.need_items'));
  if (needs.returnItems && !deadline) problems.push(translate('app.workflow.need_deadline'));
  if (needs.score && scoreProblems.length) problems.push(translate('app.workflow.need_scores'));
  if (needs.panel && panel.length < needs.panel.min) problems.push(translate('app.workflow.need_panel', { min: needs.panel.min }));

  const submit = async () => {
    setTouched(true);
    if (problems.length) return;
    const body: ActionRequest = { action: action.action, version: summary.version };
    if (needs.comment && comment.trim()) body.comment = comment.trim();
    if (needs.returnItems) {
      body.items = filledItems;
      body.deadline = endOfPortalDay(deadline).toISOString();
      if (target) body.target = target;
    }
    if (needs.score) body.scores = Object.fromEntries(criteria.map((c) => [c.key, Number(scores[c.key])]));
    if (needs.panel) body.panel = panel;
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<CaseSummaryDto>(casePath(summary.ref, '/actions'), body, { 'Idempotency-Key': idempotencyKey });
      refresh(summary.ref, answer);
      notify(translate('app.workflow.done', { action: action.label }), { type: 'success' });
      onClose();
      onDone?.(answer, action);
    } catch (e) {
      const status = errorStatus(e);
      if (status === 409 || status === 403 || status === 404) {
        // stale or no longer allowed: say why and show the case as it is now
        notify(errorMessage(e), { type: 'warning' });
        refresh(summary.ref);
        onClose();
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const hasInputs = !!(needs.comment || needs.returnItems || needs.score || needs.panel);
  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth={needs.score || needs.panel || needs.returnItems ? 'sm' : 'xs'}
      aria-labelledby="case-action-title"
    >
      <DialogTitle id="case-action-title">{action.label}</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <Typography variant="body2" color="text.secondary">
            {summary.title} · {translate('app.workflow.current_stage')}：{summary.stateLabel}
          </Typography>
          {!hasInputs && <Typography>{translate('app.workflow.confirm_action', { action: action.label })}</Typography>}

          {needs.returnItems && (
            <FormControl component="fieldset" error={touched && filledItems.length === 0}>
              <FormLabel component="legend">{translate('app.workflow.return_items')}</FormLabel>
              <Stack spacing={1} sx={{ mt: 1 }}>
                {items.map((item, i) => (
                  <Stack key={i} direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
                    <TextField
                      size="small"
                      fullWidth
                      multiline
                      label={translate('app.workflow.return_item_n', { n: i + 1 })}
                      value={item}
                      onChange={(e) => setItems(items.map((x, j) => (j === i ? e.target.value : x)))}
                      slotProps={{ htmlInput: { maxLength: 500 } }}
                    />
                    <IconButton
                      aria-label={translate('app.workflow.remove_item', { n: i + 1 })}
                      onClick={() => setItems(items.length > 1 ? items.filter((_, j) => j !== i) : [''])}
                      size="small"
                    >
                      <DeleteOutlineIcon fontSize="small" />
                    </IconButton>
                  </Stack>
                ))}
                <Box>
                  <Button size="small" startIcon={<AddIcon />} onClick={() => setItems([...items, ''])} disabled={items.length >= 50}>
                    {translate('app.workflow.add_item')}
                  </Button>
                </Box>
              </Stack>
              {touched && filledItems.length === 0 && <FormHelperText>{translate('app.workflow.need_items')}</FormHelperText>}
            </FormControl>
          )}
          {needs.returnItems && (
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              <TextField
                type="date"
                size="small"
                label={translate('app.workflow.deadline')}
                value={deadline}
                onChange={(e) => setDeadline(e.target.value)}
                slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: todayPlus(0) } }}
                sx={{ minWidth: 180 }}
                required
              />
              {needs.returnTargets && needs.returnTargets.length > 0 && (
                <TextField
                  select
                  size="small"
                  label={translate('app.workflow.return_target')}
                  value={target}
                  onChange={(e) => setTarget(e.target.value)}
                  sx={{ minWidth: 220 }}
                >
                  {needs.returnTargets.map((t) => (
                    <MenuItem key={t.state} value={t.state}>
                      {t.state === 'returned' ? returnedTo : t.label}
                    </MenuItem>
                  ))}
                </TextField>
              )}
            </Stack>
          )}

          {needs.score && (
            <FormControl component="fieldset">
              <FormLabel component="legend">{translate('app.workflow.scores')}</FormLabel>
              <Stack spacing={1.5} sx={{ mt: 1 }}>
                {criteria.map((c) => {
                  const bad = touched && scoreProblems.includes(c);
                  return (
                    <TextField
                      key={c.key}
                      type="number"
                      size="small"
                      label={`${c.label}（${translate('app.workflow.max_score', { max: c.max })}）`}
                      value={scores[c.key] ?? ''}
                      onChange={(e) => setScores({ ...scores, [c.key]: e.target.value })}
                      error={bad}
                      helperText={bad ? translate('app.workflow.score_range', { max: c.max }) : undefined}
                      slotProps={{ htmlInput: { min: 0, max: c.max, step: 1, inputMode: 'numeric' } }}
                    />
                  );
                })}
                <Typography variant="body2" sx={{ fontWeight: 600 }} data-testid="score-total">
                  {translate('app.workflow.total_score', { total, max: maxTotal })}
                </Typography>
              </Stack>
            </FormControl>
          )}

          {needs.panel && (
            <FormControl component="fieldset" error={touched && panel.length < needs.panel.min}>
              <FormLabel component="legend">{translate('app.workflow.panel_members', { min: needs.panel.min })}</FormLabel>
              {candidates.isPending ? (
                <CircularProgress size={20} sx={{ m: 1 }} />
              ) : candidates.error ? (
                <Alert severity="error">{errorMessage(candidates.error)}</Alert>
              ) : (candidates.data ?? []).length === 0 ? (
                <Typography variant="body2" color="text.secondary">
                  {translate('app.workflow.no_candidates')}
                </Typography>
              ) : (
                <FormGroup>
                  {(candidates.data ?? []).map((c) => (
                    <FormControlLabel
                      key={c.id}
                      control={
                        <Checkbox
                          checked={panel.includes(c.id)}
                          onChange={(e) => setPanel(e.target.checked ? [...panel, c.id] : panel.filter((x) => x !== c.id))}
                        />
                      }
                      label={`${c.displayName}（${c.organisationName}）`}
                    />
                  ))}
                </FormGroup>
              )}
              <FormHelperText>{translate('app.workflow.panel_selected', { n: panel.length, min: needs.panel.min })}</FormHelperText>
            </FormControl>
          )}

          {needs.comment && (
            <TextField
              label={translate(needs.comment === 'required' ? 'app.workflow.comment_required' : 'app.workflow.comment_optional')}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              multiline
              minRows={3}
              required={needs.comment === 'required'}
              error={touched && needs.comment === 'required' && comment.trim().length === 0}
              slotProps={{ htmlInput: { maxLength: 2000 } }}
            />
          )}

          {touched && problems.length > 0 && <Alert severity="warning">{problems.join('；')}</Alert>}
          {error && (
            <Alert severity="error" data-testid="action-error">
              {error}
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {translate('app.common.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy} color={action.kind === 'reject' ? 'error' : 'primary'}>
          {busy ? <CircularProgress size={18} color="inherit" /> : translate('app.common.ok')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
