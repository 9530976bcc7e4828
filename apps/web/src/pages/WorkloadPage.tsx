import { Alert, Box, Card, CardContent, Chip, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { countyName, type WorkloadDto } from '@portal/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Loading, Title, useTranslate } from 'react-admin';
import { countyChoices } from '../common/choices';
import { errorMessage, usePortalApi } from '../common/api';
import { formatDate, formatDateTime } from '../common/format';
import { useMe } from '../common/useMe';
import { hasRole } from '../providers/access';
import { useOpenCase } from '../workflow/CasePage';

/** A table's only row when it has none. */
function NoRows({ span, show }: { span: number; show: boolean }) {
  const translate = useTranslate();
  return show ? (
    <TableRow>
      <TableCell colSpan={span} sx={{ color: 'text.secondary' }}>
        {translate('app.reporting.workload_none')}
      </TableCell>
    </TableRow>
  ) : null;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card sx={{ flex: '1 1 420px', minWidth: 360 }}>
      <CardContent>
        <Typography variant="subtitle1" gutterBottom>
          {title}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

/** 审核工作量 (city; a county reviewer its county): open and overdue tasks, time per stage, the longest waiting. */
export function WorkloadPage() {
  const translate = useTranslate();
  const api = usePortalApi();
  const openCase = useOpenCase();
  const { roles } = useMe();
  const city = hasRole(roles, 'admin', 'city_reviewer');
  const [county, setCounty] = useState('');
  const { data, isPending, error } = useQuery({
    queryKey: ['workload', county],
    queryFn: () => api.get<WorkloadDto>(`/workload${county ? `?countyCode=${county}` : ''}`),
  });
  const t = (k: string, o?: Record<string, unknown>) => translate(`app.reporting.${k}`, o);
  return (
    <Box sx={{ mt: 2, display: 'flex', flexDirection: 'column', gap: 2 }} data-testid="workload">
      <Title title={t('workload_title')} />
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        {city && (
          <TextField select size="small" label={t('workload_scope')} value={county} onChange={(e) => setCounty(e.target.value)} sx={{ minWidth: 200 }}>
            <MenuItem value="">{t('city')}</MenuItem>
            {countyChoices.map((c) => (
              <MenuItem key={String(c.id)} value={String(c.id)}>
                {String(c.name)}
              </MenuItem>
            ))}
          </TextField>
        )}
        {data && <Chip color={data.overdue ? 'error' : 'success'} label={t('workload_overdue', { n: data.overdue })} />}
        {data && !city && <Typography>{countyName(data.countyCode) ?? ''}</Typography>}
      </Stack>
      {isPending && <Loading />}
      {error && <Alert severity="warning">{errorMessage(error)}</Alert>}
      {data && (
        <Stack direction="row" useFlexGap spacing={2} sx={{ flexWrap: 'wrap' }}>
          <Section title={t('workload_by_stage')}>
            {data.byStage.length > 0 && (
              <BarChart
                height={260}
                dataset={data.byStage.map((s) => ({ stage: s.stateLabel, open: s.open, overdue: s.overdue }))}
                xAxis={[
                  {
                    scaleType: 'band',
                    dataKey: 'stage',
                    height: 50,
                    tickLabelStyle: { fontSize: 12, angle: -20, textAnchor: 'end' },
                    tickLabelInterval: () => true,
                  },
                ]}
                series={[
                  { dataKey: 'open', label: t('workload_open') },
                  { dataKey: 'overdue', label: t('workload_overdue_col'), color: '#d32f2f' },
                ]}
              />
            )}
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t('workload_workflow')}</TableCell>
                  <TableCell>{t('workload_stage')}</TableCell>
                  <TableCell align="right">{t('workload_open')}</TableCell>
                  <TableCell align="right">{t('workload_overdue_col')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                <NoRows span={4} show={data.byStage.length === 0} />
                {data.byStage.map((s) => (
                  <TableRow key={`${s.workflowKey}-${s.state}`}>
                    <TableCell>{s.workflowTitle}</TableCell>
                    <TableCell>{s.stateLabel}</TableCell>
                    <TableCell align="right">{s.open}</TableCell>
                    <TableCell align="right">{s.overdue}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Section>
          <Section title={t('workload_by_reviewer')}>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t('workload_reviewer')}</TableCell>
                  <TableCell align="right">{t('workload_open')}</TableCell>
                  <TableCell align="right">{t('workload_overdue_col')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                <NoRows span={3} show={data.byReviewer.length === 0} />
                {data.byReviewer.map((r) => (
                  <TableRow key={String(r.userId)}>
                    <TableCell>{r.name}</TableCell>
                    <TableCell align="right">{r.open}</TableCell>
                    <TableCell align="right">{r.overdue}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Section>
          <Section title={t('workload_median')}>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t('workload_stage')}</TableCell>
                  <TableCell align="right">{t('workload_passages')}</TableCell>
                  <TableCell align="right">{t('workload_median_days')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                <NoRows span={3} show={data.medianDays.length === 0} />
                {data.medianDays.map((m) => (
                  <TableRow key={`${m.workflowKey}-${m.state}`}>
                    <TableCell>{m.stateLabel}</TableCell>
                    <TableCell align="right">{m.passages}</TableCell>
                    <TableCell align="right">{m.medianWorkingDays}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Section>
          <Section title={t('workload_longest')}>
            {/* in half the page: the title wraps at a readable width, the stage and the dates keep to one line (the stage
                went a character a line), headings may wrap, the table stays inside its card */}
            <Table
              size="small"
              data-testid="longest-waiting"
              sx={{ '& th, & td': { px: 1 }, '& td:not(:first-of-type)': { whiteSpace: 'nowrap' }, '& td:first-of-type': { minWidth: '8em' } }}
            >
              <TableHead>
                <TableRow>
                  <TableCell>{t('workload_case')}</TableCell>
                  <TableCell>{t('workload_stage')}</TableCell>
                  <TableCell>{t('workload_entered')}</TableCell>
                  <TableCell align="right">{t('workload_waiting')}</TableCell>
                  <TableCell>{t('workload_due')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                <NoRows span={5} show={data.longestWaiting.length === 0} />
                {data.longestWaiting.map((c) => (
                  <TableRow key={c.caseId} hover sx={{ cursor: 'pointer' }} onClick={() => void openCase(`${c.workflowKey}:${c.caseId}`)}>
                    <TableCell>{c.title}</TableCell>
                    <TableCell>{c.stateLabel}</TableCell>
                    <TableCell title={formatDateTime(c.enteredAt)}>{formatDate(c.enteredAt)}</TableCell>
                    <TableCell align="right">{c.workingDays}</TableCell>
                    <TableCell>{formatDate(c.dueAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Section>
        </Stack>
      )}
    </Box>
  );
}
