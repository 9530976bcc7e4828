import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { fromPortalDateTimeLocal, portalDateTimeLocal, type DelegationDto, type UserChoiceDto } from '@portal/contracts';
import { useState } from 'react';
import { Confirm, Title, useNotify, useTranslate } from 'react-admin';
import { errorMessage, newIdempotencyKey, usePortalApi } from '../common/api';
import { formatDateTime } from '../common/format';
import { useMe } from '../common/useMe';

/** A moment as the value of a datetime-local input, in Wenzhou's time whatever the browser's. */
const toLocalInput = portalDateTimeLocal;

/**
 * 我的委托 (reviewers, experts, finance): name a colleague who acts for me while I am away, see the
 * proxies I gave and those given to me, and end my own. The server checks who may be a proxy.
 */
export function DelegationsPage() {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const client = useQueryClient();
  const { me } = useMe();
  const list = useQuery({ queryKey: ['delegations'], queryFn: () => api.get<DelegationDto[]>('/delegations') });
  const candidates = useQuery({ queryKey: ['delegations', 'candidates'], queryFn: () => api.get<UserChoiceDto[]>('/delegations/candidates') });
  const [delegateId, setDelegateId] = useState<number | ''>('');
  const [startsAt, setStartsAt] = useState(() => toLocalInput(new Date()));
  const [endsAt, setEndsAt] = useState(() => toLocalInput(new Date(Date.now() + 7 * 86_400_000)));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [ending, setEnding] = useState<DelegationDto | null>(null);
  // one key per delegation being made: a repeated click or retry answers the same delegation
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const reload = () => void client.invalidateQueries({ queryKey: ['delegations'] });

  const create = async () => {
    if (delegateId === '') return;
    const starts = fromPortalDateTimeLocal(startsAt);
    const ends = fromPortalDateTimeLocal(endsAt);
    if (!starts || !ends) {
      notify(translate('app.delegations.bad_period'), { type: 'warning' });
      return;
    }
    setBusy(true);
    try {
      await api.post(
        '/delegations',
        { delegateId, startsAt: starts.toISOString(), endsAt: ends.toISOString(), ...(reason.trim() ? { reason: reason.trim() } : {}) },
        { 'Idempotency-Key': idempotencyKey },
      );
      notify(translate('app.delegations.created'), { type: 'success' });
      setIdempotencyKey(newIdempotencyKey());
      setDelegateId('');
      setReason('');
    } catch (e) {
      notify(errorMessage(e), { type: 'warning' });
    } finally {
      setBusy(false);
      reload();
    }
  };

  const end = async () => {
    if (!ending) return;
    setBusy(true);
    try {
      await api.del(`/delegations/${ending.id}`);
      notify(translate('app.delegations.ended'), { type: 'success' });
    } catch (e) {
      notify(errorMessage(e), { type: 'warning' });
    } finally {
      setBusy(false);
      setEnding(null);
      reload();
    }
  };

  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={translate('app.menu.delegations')} />
      <Alert severity="info">{translate('app.delegations.intro')}</Alert>
      <Card>
        <CardContent>
          <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', mb: 2 }}>
            {translate('app.delegations.new')}
          </Typography>
          {candidates.error && (
            <Alert severity="error" sx={{ mb: 2 }}>
              {errorMessage(candidates.error)}
            </Alert>
          )}
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'repeat(3, 1fr)' }, gap: 2 }}>
            <TextField
              select
              label={translate('app.delegations.delegate')}
              value={delegateId}
              onChange={(e) => setDelegateId(Number(e.target.value))}
              disabled={candidates.isPending}
              helperText={candidates.data?.length === 0 ? translate('app.delegations.no_candidates') : undefined}
            >
              {(candidates.data ?? []).map((c) => (
                <MenuItem key={c.id} value={c.id}>
                  {c.displayName}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              type="datetime-local"
              label={translate('app.delegations.starts_at')}
              value={startsAt}
              onChange={(e) => setStartsAt(e.target.value)}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              type="datetime-local"
              label={translate('app.delegations.ends_at')}
              value={endsAt}
              onChange={(e) => setEndsAt(e.target.value)}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              label={translate('app.delegations.reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              sx={{ gridColumn: { md: '1 / span 3' } }}
            />
          </Box>
          <Box sx={{ mt: 2 }}>
            <Button variant="contained" disabled={busy || delegateId === ''} onClick={() => void create()}>
              {translate('app.delegations.create')}
            </Button>
          </Box>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', mb: 1 }}>
            {translate('app.delegations.list')}
          </Typography>
          {list.error && <Alert severity="error">{errorMessage(list.error)}</Alert>}
          {list.data && list.data.length === 0 && (
            <Typography variant="body2" color="text.secondary">
              {translate('app.delegations.none')}
            </Typography>
          )}
          {list.data && list.data.length > 0 && (
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{translate('app.delegations.direction')}</TableCell>
                  <TableCell>{translate('app.delegations.delegate')}</TableCell>
                  <TableCell>{translate('app.delegations.period')}</TableCell>
                  <TableCell>{translate('app.delegations.reason_col')}</TableCell>
                  <TableCell />
                </TableRow>
              </TableHead>
              <TableBody>
                {list.data.map((d) => {
                  const mine = d.principalId === me?.id;
                  return (
                    <TableRow key={d.id}>
                      <TableCell>
                        <Chip
                          size="small"
                          color={mine ? 'primary' : 'info'}
                          variant={mine ? 'filled' : 'outlined'}
                          label={translate(mine ? 'app.delegations.given' : 'app.delegations.received')}
                        />
                      </TableCell>
                      <TableCell>{mine ? d.delegateName : `${translate('app.delegations.principal')}：${d.principalName}`}</TableCell>
                      <TableCell>
                        {formatDateTime(d.startsAt)} – {formatDateTime(d.endsAt)}
                      </TableCell>
                      <TableCell>{d.reason ?? '—'}</TableCell>
                      <TableCell align="right">
                        {mine && (
                          <Button size="small" color="error" disabled={busy} onClick={() => setEnding(d)}>
                            {translate('app.delegations.end')}
                          </Button>
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <Confirm
        isOpen={!!ending}
        loading={busy}
        title={translate('app.delegations.end')}
        content={translate('app.delegations.confirm_end')}
        onConfirm={() => void end()}
        onClose={() => setEnding(null)}
      />
    </Stack>
  );
}
