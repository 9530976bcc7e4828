import AssignmentIcon from '@mui/icons-material/Assignment';
import { Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, Divider, Stack, TextField, Typography } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AnnualReportDto, CertificationDto } from '@portal/contracts';
import { useState, type MouseEvent } from 'react';
import { useNotify, useRecordContext, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { formatDateTime, portalYear } from '../../common/format';
import { useMe } from '../../common/useMe';
import { hasRole } from '../../providers/access';

const EMPTY = { summary: '', orderClasses: '0', internsHosted: '0', practicePosts: '0', investmentYuan: '0' };
const NUMBERS = ['orderClasses', 'internsHosted', 'practicePosts', 'investmentYuan'] as const;

/**
 * 年度报告 of a city-level certification (dynamic management): the reports submitted so far and, for the
 * certified enterprise, the form for a year not yet reported. The server decides who may submit.
 */
export function AnnualReportsButton() {
  const c = useRecordContext<CertificationDto>();
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const client = useQueryClient();
  const { me, roles } = useMe();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ ...EMPTY, year: String(portalYear() - 1) });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { data: reports, isPending } = useQuery({
    queryKey: ['annual-reports', c?.id],
    queryFn: () => api.get<AnnualReportDto[]>(`/certifications/${c!.id}/annual-reports`),
    enabled: open && !!c,
  });
  if (!c || c.level !== 'city') return null;
  const mayReport = c.status === 'active' && me?.organisationId === c.enterpriseId && hasRole(roles, 'enterprise_applicant');

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/certifications/${c.id}/annual-reports`, {
        year: Number(form.year),
        summary: form.summary.trim(),
        ...Object.fromEntries(NUMBERS.map((k) => [k, Number(form[k])])),
      });
      notify(translate('app.annual.submitted'), { type: 'success' });
      setForm({ ...EMPTY, year: form.year });
      void client.invalidateQueries({ queryKey: ['annual-reports', c.id] });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        size="small"
        startIcon={<AssignmentIcon />}
        onClick={(e: MouseEvent) => {
          e.stopPropagation();
          setOpen(true);
        }}
      >
        {translate('app.annual.button')}
      </Button>
      <Dialog open={open} onClose={busy ? undefined : () => setOpen(false)} fullWidth maxWidth="md" onClick={(e) => e.stopPropagation()}>
        <DialogTitle>{translate('app.annual.title', { name: c.enterpriseName })}</DialogTitle>
        <DialogContent dividers>
          <Stack spacing={2}>
            {isPending ? (
              <CircularProgress size={24} />
            ) : reports?.length ? (
              reports.map((r) => (
                <Stack key={r.id} spacing={0.5} data-testid="annual-report">
                  <Typography variant="subtitle2">
                    {translate('app.annual.year', { year: r.year })} · {formatDateTime(r.submittedAt)}
                  </Typography>
                  <Typography variant="body2">{r.summary}</Typography>
                  <Typography variant="caption" color="text.secondary">
                    {NUMBERS.map((k) => `${translate(`app.annual.${k}`)}：${r[k]}`).join('；')}
                  </Typography>
                </Stack>
              ))
            ) : (
              <Typography color="text.secondary">{translate('app.annual.none')}</Typography>
            )}
            {mayReport && (
              <>
                <Divider />
                <Typography variant="subtitle1">{translate('app.annual.new')}</Typography>
                <TextField
                  label={translate('app.annual.year_label')}
                  type="number"
                  value={form.year}
                  onChange={(e) => setForm({ ...form, year: e.target.value })}
                  sx={{ maxWidth: 160 }}
                />
                <TextField
                  label={translate('app.annual.summary')}
                  value={form.summary}
                  onChange={(e) => setForm({ ...form, summary: e.target.value })}
                  multiline
                  minRows={3}
                  slotProps={{ htmlInput: { maxLength: 10000 } }}
                />
                <Stack direction="row" spacing={2}>
                  {NUMBERS.map((k) => (
                    <TextField
                      key={k}
                      label={translate(`app.annual.${k}`)}
                      type="number"
                      value={form[k]}
                      onChange={(e) => setForm({ ...form, [k]: e.target.value })}
                    />
                  ))}
                </Stack>
                {error && <Alert severity="error">{error}</Alert>}
              </>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={busy}>
            {translate('app.common.close')}
          </Button>
          {mayReport && (
            <Button variant="contained" onClick={() => void submit()} disabled={busy || form.summary.trim().length < 10}>
              {translate('app.annual.submit')}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
}
