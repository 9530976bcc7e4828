import CampaignIcon from '@mui/icons-material/Campaign';
import GavelIcon from '@mui/icons-material/Gavel';
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
  LinearProgress,
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
import type { BatchResult, CertificationApplicationDto, DocumentBatchDto } from '@portal/contracts';
import { useState } from 'react';
import { useListContext, useNotify, useTranslate, useUnselectAll } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';

/**
 * The progress of a batch decision, from its items (the applications) and their certificates, polled
 * while anything can still change: how many were decided, skipped (each with its reason) or never reached
 * (a run cut short), and how many certificates are issued. "全部签发" only when certificates were issued.
 */
export function BatchProgress({ batchId }: { batchId: number }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const { data, error } = useQuery({
    queryKey: ['document-batches', batchId],
    queryFn: () => api.get<DocumentBatchDto>(`/document-batches/${batchId}`),
    refetchInterval: (q) => (q.state.data?.finished ? false : 1_000),
  });
  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  if (!data) return <LinearProgress />;
  const pct = data.total ? Math.round(((data.done + data.failed) / data.total) * 100) : 100;
  const outcome =
    data.state === 'interrupted'
      ? { severity: 'error' as const, text: translate('app.cert.batch_interrupted', { pending: data.pending, items: data.items }) }
      : data.acted === 0
        ? { severity: 'warning' as const, text: translate('app.cert.batch_nothing', { skipped: data.skipped }) }
        : data.failed
          ? { severity: 'warning' as const, text: translate('app.cert.batch_done_failed', { failed: data.failed }) }
          : { severity: 'success' as const, text: translate('app.cert.batch_done') };
  return (
    <Box data-testid="batch-progress" data-finished={data.finished ? 'true' : 'false'} data-state={data.state}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
        <Typography variant="body2" sx={{ flex: 1 }}>
          {data.title}
        </Typography>
        <Typography variant="body2">{translate('app.cert.batch_counts', { done: data.done, total: data.total, failed: data.failed })}</Typography>
      </Stack>
      <Typography variant="body2" color="text.secondary" data-testid="batch-items">
        {translate('app.cert.batch_items', { items: data.items, acted: data.acted, skipped: data.skipped, pending: data.pending })}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={pct}
        color={data.failed || data.state === 'interrupted' ? 'warning' : data.finished ? 'success' : 'primary'}
      />
      {data.skippedItems.length > 0 && (
        <Box component="ul" sx={{ m: 0, mt: 1, pl: 2.5 }} data-testid="batch-skipped">
          {data.skippedItems.map((i) => (
            <Typography component="li" variant="body2" key={i.id}>
              {i.label ?? `#${i.id}`}：{i.reason}
            </Typography>
          ))}
        </Box>
      )}
      {data.finished && (
        <Alert severity={outcome.severity} sx={{ mt: 1 }}>
          {outcome.text}
        </Alert>
      )}
    </Box>
  );
}

/** What a batch does: 批量发布公示 (待公示 → 公示) or 批量认定 (认定决定 → 已认定, with certificates). */
const BATCHES = {
  publicize: { stage: 'publicity_pending', key: 'batch_publicize' },
  certify: { stage: 'decision', key: 'batch_certify' },
} as const;
export type BatchAction = keyof typeof BATCHES;

/** The stages the city may act on in a batch (the list lets only these rows be selected). */
export const BATCH_STAGES: readonly string[] = Object.values(BATCHES).map((b) => b.stage);

/**
 * A city batch (put many on 公示, decide many): every selected application still goes through its own
 * audited transition; the answer says which went through and why others did not, and a batch decision's
 * certificates show their progress.
 */
export function BatchActionButton({ action }: { action: BatchAction }) {
  const { stage, key } = BATCHES[action];
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const client = useQueryClient();
  const { selectedIds, data, resource } = useListContext<CertificationApplicationDto>();
  const unselectAll = useUnselectAll(resource);
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BatchResult | null>(null);
  const names = new Map((data ?? []).map((a) => [a.id, a.enterpriseName]));
  const notInStage = (data ?? []).filter((a) => selectedIds.includes(a.id) && a.case.state !== stage).length;

  const run = async () => {
    setBusy(true);
    try {
      const r = await api.post<BatchResult>('/certification-applications/batch-actions', {
        ids: selectedIds,
        action,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      setResult(r);
      const ok = r.results.filter((x) => x.ok).length;
      notify(translate(`app.cert.${key}_result`, { ok, failed: r.results.length - ok }), { type: ok === r.results.length ? 'success' : 'warning' });
      void client.invalidateQueries({ queryKey: ['certification-applications'] });
      void client.invalidateQueries({ queryKey: ['case'] });
      void client.invalidateQueries({ queryKey: ['tasks'] });
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    if (busy) return;
    if (result) unselectAll();
    setOpen(false);
    setResult(null);
    setComment('');
  };

  return (
    <>
      <Button
        size="small"
        variant={action === 'certify' ? 'contained' : 'outlined'}
        startIcon={action === 'certify' ? <GavelIcon /> : <CampaignIcon />}
        onClick={() => setOpen(true)}
      >
        {translate(`app.cert.${key}`)}
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
        <DialogTitle>{translate(`app.cert.${key}`)}</DialogTitle>
        <DialogContent dividers>
          {!result ? (
            <Stack spacing={2}>
              <Typography>{translate(`app.cert.${key}_confirm`, { n: selectedIds.length })}</Typography>
              {notInStage > 0 && <Alert severity="warning">{translate(`app.cert.${key}_not_in_stage`, { n: notInStage })}</Alert>}
              <TextField
                label={translate('app.workflow.comment_optional')}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                multiline
                minRows={2}
                slotProps={{ htmlInput: { maxLength: 2000 } }}
              />
            </Stack>
          ) : (
            <Stack spacing={2}>
              <Table size="small" data-testid="batch-results">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('resources.certification-applications.fields.enterpriseName')}</TableCell>
                    <TableCell>{translate('app.cert.batch_outcome')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {result.results.map((r) => (
                    <TableRow key={r.id}>
                      <TableCell>{names.get(r.id) ?? `#${r.id}`}</TableCell>
                      <TableCell>
                        {r.ok ? (
                          <Chip size="small" color="success" label={translate(`app.cert.${key}_ok`)} />
                        ) : (
                          <Chip size="small" color="error" label={r.message ?? translate('app.cert.batch_failed')} />
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              {result.batchId !== null && <BatchProgress batchId={result.batchId} />}
            </Stack>
          )}
        </DialogContent>
        <DialogActions>
          {!result ? (
            <>
              <Button onClick={close} disabled={busy}>
                {translate('app.common.cancel')}
              </Button>
              <Button variant="contained" onClick={() => void run()} disabled={busy || selectedIds.length === 0}>
                {busy ? <CircularProgress size={18} color="inherit" /> : translate('app.common.ok')}
              </Button>
            </>
          ) : (
            <Button variant="contained" onClick={close}>
              {translate('app.common.close')}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
}
