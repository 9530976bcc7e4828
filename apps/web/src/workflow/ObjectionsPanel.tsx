import type { BatchResolveResult } from '@portal/contracts';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Chip,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Radio,
  RadioGroup,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../common/api';
import { formatDateTime } from '../common/format';
import { useMe } from '../common/useMe';
import { hasRole } from '../providers/access';
import { useCaseObjections, useRefreshCase, type ObjectionDto } from './hooks';

const STATUS_COLOUR = { open: 'warning', upheld: 'error', dismissed: 'default' } as const;

/**
 * Objections lodged during 公示: who (real name; the phone in full only for the city reviewers who resolve,
 * masked for everyone else by the server), what, and their resolution. The city resolves open ones, one at
 * a time or several selected at once (each is still its own audited ruling on the server).
 */
export function ObjectionsPanel({ caseRef }: { caseRef: string }) {
  const translate = useTranslate();
  const { roles } = useMe();
  const { data, isPending, error } = useCaseObjections(caseRef);
  const [resolving, setResolving] = useState<ObjectionDto[] | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const mayResolve = hasRole(roles, 'city_reviewer', 'admin');
  if (isPending) return <CircularProgress size={24} />;
  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  const rows = data ?? [];
  const open = rows.filter((o) => o.status === 'open');
  const chosen = open.filter((o) => selected.has(o.id));
  const toggle = (id: number) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <Stack spacing={1.5} data-testid="objections">
      {rows.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          {translate('app.objections.none')}
        </Typography>
      )}
      {mayResolve && open.length > 1 && (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <FormControlLabel
            control={
              <Checkbox
                size="small"
                checked={chosen.length === open.length}
                indeterminate={chosen.length > 0 && chosen.length < open.length}
                onChange={(e) => setSelected(e.target.checked ? new Set(open.map((o) => o.id)) : new Set())}
              />
            }
            label={translate('app.objections.select_all_open')}
          />
          <Button size="small" variant="contained" disabled={chosen.length === 0} onClick={() => setResolving(chosen)}>
            {translate('app.objections.resolve_selected', { n: chosen.length })}
          </Button>
        </Stack>
      )}
      {rows.map((o) => (
        <Box key={o.id} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5 }}>
          <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            {mayResolve && o.status === 'open' && open.length > 1 && (
              <Checkbox
                size="small"
                sx={{ p: 0.5 }}
                checked={selected.has(o.id)}
                onChange={() => toggle(o.id)}
                slotProps={{ input: { 'aria-label': translate('app.objections.select', { id: o.id }) } }}
              />
            )}
            <Chip size="small" color={STATUS_COLOUR[o.status]} label={translate(`app.objections.status.${o.status}`)} />
            <Typography variant="subtitle2">{o.name}</Typography>
            <Typography variant="body2" color="text.secondary">
              {o.phone}
              {o.idNumberMasked ? ` · ${o.idNumberMasked}` : ''}
            </Typography>
            <Typography variant="caption" color="text.secondary">
              {formatDateTime(o.createdAt)}
            </Typography>
            <Box sx={{ flex: 1 }} />
            {o.status === 'open' && mayResolve && (
              <Button size="small" variant="outlined" onClick={() => setResolving([o])}>
                {translate('app.objections.resolve')}
              </Button>
            )}
          </Stack>
          <Typography variant="body2" sx={{ mt: 1, whiteSpace: 'pre-wrap' }}>
            {o.content}
          </Typography>
          {o.resolution && (
            <Alert severity={o.status === 'upheld' ? 'warning' : 'info'} sx={{ mt: 1 }}>
              {translate('app.objections.resolution')}：{o.resolution}
              {o.resolvedAt ? `（${formatDateTime(o.resolvedAt)}）` : ''}
            </Alert>
          )}
        </Box>
      ))}
      {resolving && (
        <ResolveDialog
          caseRef={caseRef}
          objections={resolving}
          onClose={(done) => {
            setResolving(null);
            if (done) setSelected(new Set());
          }}
        />
      )}
    </Stack>
  );
}

/**
 * In the case header while a 公示 is held by open objections: says so, and lets the city resolve each
 * one there (no need to look for it in a tab).
 */
export function OpenObjectionsNotice({ caseRef, count }: { caseRef: string; count: number }) {
  const translate = useTranslate();
  const { roles } = useMe();
  const { data } = useCaseObjections(caseRef);
  const [resolving, setResolving] = useState<ObjectionDto | null>(null);
  const mayResolve = hasRole(roles, 'city_reviewer', 'admin');
  const open = (data ?? []).filter((o) => o.status === 'open');
  return (
    <Alert severity="warning" data-testid="open-objections">
      <Typography variant="subtitle2">{translate('app.objections.held_title', { n: count })}</Typography>
      <Typography variant="body2" sx={{ mb: open.length ? 1 : 0 }}>
        {translate('app.objections.held_hint')}
      </Typography>
      <Stack spacing={0.75}>
        {open.map((o) => (
          <Stack key={o.id} direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <Typography variant="body2" sx={{ flex: '1 1 240px', minWidth: 0, overflowWrap: 'anywhere' }}>
              {o.content}
            </Typography>
            {mayResolve && (
              <Button size="small" variant="contained" color="warning" onClick={() => setResolving(o)}>
                {translate('app.objections.resolve')}
              </Button>
            )}
          </Stack>
        ))}
      </Stack>
      {resolving && <ResolveDialog caseRef={caseRef} objections={[resolving]} onClose={() => setResolving(null)} />}
    </Alert>
  );
}

function ResolveDialog({ caseRef, objections, onClose }: { caseRef: string; objections: ObjectionDto[]; onClose: (done: boolean) => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const refresh = useRefreshCase();
  const [outcome, setOutcome] = useState<'upheld' | 'dismissed'>('dismissed');
  const [resolution, setResolution] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const many = objections.length > 1;
  const submit = async () => {
    if (resolution.trim().length < 2) {
      setError(translate('app.objections.need_resolution'));
      return;
    }
    setBusy(true);
    try {
      if (many) {
        const res = await api.post<BatchResolveResult>('/objections/batch-resolve', {
          ids: objections.map((o) => o.id),
          outcome,
          resolution: resolution.trim(),
        });
        const failed = res.results.filter((r) => !r.ok);
        notify(translate('app.objections.resolved_many', { ok: res.results.length - failed.length, failed: failed.length }), {
          type: failed.length ? 'warning' : 'success',
        });
        if (failed.length) setError(failed.map((f) => `#${f.id}：${f.message ?? ''}`).join('；'));
        refresh(caseRef);
        if (!failed.length) onClose(true);
      } else {
        await api.post(`/objections/${objections[0].id}/resolve`, { outcome, resolution: resolution.trim() });
        notify(translate('app.objections.resolved'), { type: 'success' });
        refresh(caseRef);
        onClose(true);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={busy ? undefined : () => onClose(false)} fullWidth maxWidth="sm">
      <DialogTitle>{many ? translate('app.objections.resolve_many_title', { n: objections.length }) : translate('app.objections.resolve')}</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          {!many && (
            <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
              {objections[0].content}
            </Typography>
          )}
          <RadioGroup row value={outcome} onChange={(e) => setOutcome(e.target.value as 'upheld' | 'dismissed')}>
            <FormControlLabel value="dismissed" control={<Radio />} label={translate('app.objections.status.dismissed')} />
            <FormControlLabel value="upheld" control={<Radio />} label={translate('app.objections.status.upheld')} />
          </RadioGroup>
          <TextField
            label={translate('app.objections.resolution')}
            value={resolution}
            onChange={(e) => setResolution(e.target.value)}
            multiline
            minRows={3}
            required
            slotProps={{ htmlInput: { maxLength: 2000 } }}
          />
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)} disabled={busy}>
          {translate('app.common.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy}>
          {translate('app.common.ok')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
