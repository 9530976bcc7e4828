import {
  Alert,
  Box,
  Button,
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

/** Objections lodged during 公示: who (real name, masked ID), what, and their resolution; the city resolves open ones. */
export function ObjectionsPanel({ caseRef }: { caseRef: string }) {
  const translate = useTranslate();
  const { roles } = useMe();
  const { data, isPending, error } = useCaseObjections(caseRef);
  const [resolving, setResolving] = useState<ObjectionDto | null>(null);
  const mayResolve = hasRole(roles, 'city_reviewer', 'admin');
  if (isPending) return <CircularProgress size={24} />;
  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  const rows = data ?? [];
  return (
    <Stack spacing={1.5} data-testid="objections">
      {rows.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          {translate('app.objections.none')}
        </Typography>
      )}
      {rows.map((o) => (
        <Box key={o.id} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5 }}>
          <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
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
              <Button size="small" variant="outlined" onClick={() => setResolving(o)}>
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
      {resolving && <ResolveDialog caseRef={caseRef} objection={resolving} onClose={() => setResolving(null)} />}
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
      {resolving && <ResolveDialog caseRef={caseRef} objection={resolving} onClose={() => setResolving(null)} />}
    </Alert>
  );
}

function ResolveDialog({ caseRef, objection, onClose }: { caseRef: string; objection: ObjectionDto; onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const refresh = useRefreshCase();
  const [outcome, setOutcome] = useState<'upheld' | 'dismissed'>('dismissed');
  const [resolution, setResolution] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (resolution.trim().length < 2) {
      setError(translate('app.objections.need_resolution'));
      return;
    }
    setBusy(true);
    try {
      await api.post(`/objections/${objection.id}/resolve`, { outcome, resolution: resolution.trim() });
      notify(translate('app.objections.resolved'), { type: 'success' });
      refresh(caseRef);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={busy ? undefined : onClose} fullWidth maxWidth="sm">
      <DialogTitle>{translate('app.objections.resolve')}</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
            {objection.content}
          </Typography>
          <RadioGroup row value={outcome} onChange={(e) => setOutcome(e.target.value as 'upheld' | 'dismissed')}>
            <FormControlLabel value="dismissed" control={<Radio />} label={translate('app.objections.status.dismissed')} />
            <FormControlLabel value="upheld" control={<Radio />} label={translate('app.objections.status.upheld')} />
          </RadioGroup>
          <TextField label={translate('app.objections.resolution')} value={resolution} onChange={(e) => setResolution(e.target.value)} multiline minRows={3} required slotProps={{ htmlInput: { maxLength: 2000 } }} />
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {translate('app.common.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy}>
          {translate('app.common.ok')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
