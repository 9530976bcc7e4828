import RefreshIcon from '@mui/icons-material/Refresh';
import ReplayIcon from '@mui/icons-material/Replay';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  CircularProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { JobDto, JobStatsDto } from '@portal/contracts';
import { useState } from 'react';
import { Title, useNotify, useTranslate } from 'react-admin';
import { errorMessage, listPath, usePortalApi } from '../common/api';
import { formatDateTime } from '../common/format';

const COUNT_COLOUR = { pending: 'info.main', scheduled: 'text.secondary', retrying: 'warning.main', failed: 'error.main', done: 'success.main' } as const;

/** 任务队列 (admin): jobs by state, failed ones with their error, and retry. */
export function JobsPage() {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const client = useQueryClient();
  const [retrying, setRetrying] = useState<number | null>(null);
  const [status, setStatus] = useState<'failed' | 'retrying' | 'pending' | 'done'>('failed');
  const stats = useQuery({ queryKey: ['admin-jobs', 'stats'], queryFn: () => api.get<JobStatsDto>('/admin/jobs/stats'), refetchInterval: 10_000 });
  const jobs = useQuery({
    queryKey: ['admin-jobs', 'list', status],
    queryFn: () => api.get<JobDto[]>(listPath('admin/jobs', { filter: { status }, sort: ['id', 'DESC'], range: [0, 99] })),
    refetchInterval: 10_000,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['admin-jobs'] });
  const retry = async (id: number) => {
    setRetrying(id);
    try {
      await api.post(`/admin/jobs/${id}/retry`);
      notify(translate('app.jobs.retried', { id }), { type: 'success' });
    } catch (e) {
      notify(errorMessage(e), { type: 'warning' });
    } finally {
      setRetrying(null);
      refresh();
    }
  };
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={translate('app.menu.jobs')} />
      <Card>
        <CardContent>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1.5 }}>
            <Typography variant="h6" component="h2" sx={{ flex: 1, fontSize: '1.05rem' }}>
              {translate('app.jobs.stats')}
            </Typography>
            {stats.data && <Chip size="small" label={translate(`app.jobs.mode_${stats.data.mode === 'bullmq' ? 'bullmq' : 'embedded'}`)} />}
            <Button size="small" startIcon={<RefreshIcon />} onClick={refresh}>
              {translate('app.common.refresh')}
            </Button>
          </Stack>
          {stats.error && <Alert severity="error">{errorMessage(stats.error)}</Alert>}
          {stats.data && (
            <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'repeat(2, 1fr)', md: 'repeat(5, 1fr)' }, gap: 1.5 }} data-testid="job-stats">
              {(Object.keys(COUNT_COLOUR) as Array<keyof typeof COUNT_COLOUR>).map((k) => (
                <Box key={k} sx={{ p: 1.5, border: 1, borderColor: 'divider', borderRadius: 1 }}>
                  <Typography variant="caption" color="text.secondary">
                    {translate(`app.jobs.status.${k}`)}
                  </Typography>
                  <Typography variant="h5" sx={{ color: COUNT_COLOUR[k], fontWeight: 600 }}>
                    {stats.data.counts[k] ?? 0}
                  </Typography>
                </Box>
              ))}
            </Box>
          )}
          {stats.data?.bullmq && (
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 1 }}>
              BullMQ：
              {Object.entries(stats.data.bullmq)
                .map(([k, v]) => `${k} ${v}`)
                .join(' · ')}
            </Typography>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
            <Typography variant="h6" component="h2" sx={{ flex: 1, fontSize: '1.05rem' }}>
              {translate('app.jobs.list')}
            </Typography>
            {(['failed', 'retrying', 'pending', 'done'] as const).map((s) => (
              <Chip
                key={s}
                label={translate(`app.jobs.status.${s}`)}
                color={status === s ? 'primary' : 'default'}
                onClick={() => setStatus(s)}
                variant={status === s ? 'filled' : 'outlined'}
              />
            ))}
          </Stack>
          {jobs.isPending ? (
            <CircularProgress size={24} />
          ) : jobs.error ? (
            <Alert severity="error">{errorMessage(jobs.error)}</Alert>
          ) : (jobs.data ?? []).length === 0 ? (
            <Typography variant="body2" color="text.secondary">
              {translate('app.jobs.none')}
            </Typography>
          ) : (
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="job-list">
                <TableHead>
                  <TableRow>
                    <TableCell>#</TableCell>
                    <TableCell>{translate('app.jobs.name')}</TableCell>
                    <TableCell>{translate('app.jobs.attempts')}</TableCell>
                    <TableCell>{translate('app.jobs.error')}</TableCell>
                    <TableCell>{translate('app.jobs.created')}</TableCell>
                    <TableCell />
                  </TableRow>
                </TableHead>
                <TableBody>
                  {(jobs.data ?? []).map((j) => (
                    <TableRow key={j.id}>
                      <TableCell>{j.id}</TableCell>
                      <TableCell sx={{ fontFamily: 'monospace' }}>{j.jobName}</TableCell>
                      <TableCell>{j.attempts}</TableCell>
                      <TableCell sx={{ maxWidth: 420 }}>
                        <Typography variant="body2" color="error" sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12 }}>
                          {j.lastError ?? '—'}
                        </Typography>
                      </TableCell>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(j.createdAt)}</TableCell>
                      <TableCell>
                        {j.status !== 'done' && (
                          <Button
                            size="small"
                            variant="outlined"
                            startIcon={retrying === j.id ? <CircularProgress size={14} /> : <ReplayIcon />}
                            disabled={retrying !== null}
                            onClick={() => void retry(j.id)}
                          >
                            {translate('app.jobs.retry')}
                          </Button>
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}
        </CardContent>
      </Card>
    </Stack>
  );
}
