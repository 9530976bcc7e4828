import { Box, Card, CardContent, LinearProgress, Stack, Tab, Table, TableBody, TableCell, TableHead, TableRow, Tabs, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { countyName, type EmploymentStatsDto, type EmploymentStatsGroup, type OrderClassProgressDto } from '@portal/contracts';
import { useState } from 'react';
import { Loading, Title, useTranslate } from 'react-admin';
import { usePortalApi } from '../../common/api';
import { formatCount } from '../../common/format';
import { percent } from './shared';

/** 订单班建设进度: classes filed against the city's target (规划目标, as the dashboard), by county; employment outcomes by group. */
export function OrderClassProgress() {
  const translate = useTranslate();
  const api = usePortalApi();
  const [group, setGroup] = useState<EmploymentStatsGroup>('school');
  const progress = useQuery({ queryKey: ['order-classes', 'progress'], queryFn: () => api.get<OrderClassProgressDto>('/order-classes/progress') });
  const stats = useQuery({
    queryKey: ['order-classes', 'employment', group],
    queryFn: () => api.get<EmploymentStatsDto[]>(`/order-classes/employment-stats?group=${group}`),
  });
  if (!progress.data) return <Loading />;
  const p = progress.data;
  const t = (k: string, o?: Record<string, unknown>) => translate(`app.oc.${k}`, o);
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }} data-testid="order-class-progress">
      <Title title={t('progress_title')} />
      <Card>
        <CardContent>
          <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem' }}>
            {t('progress_title')}
          </Typography>
          <Typography variant="h4" sx={{ my: 1 }}>
            {p.target === null
              ? t('progress_filed_no_target', { filed: formatCount(p.filed) })
              : t('progress_filed', { filed: formatCount(p.filed), target: formatCount(p.target) })}
          </Typography>
          {p.target !== null && (
            <LinearProgress variant="determinate" value={Math.min(100, (p.filed / Math.max(1, p.target)) * 100)} sx={{ height: 10, borderRadius: 5 }} />
          )}
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            {[t('progress_active', { n: p.active }), t('progress_closed', { n: p.closed }), t('progress_in', { n: p.inProgress })].join(' · ')}
          </Typography>
          <Typography variant="subtitle2" sx={{ mt: 2 }}>
            {t('by_county')}
          </Typography>
          <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
            {p.byCounty.map((c) => (
              <Typography key={c.countyCode} variant="body2">
                {countyName(c.countyCode) ?? c.countyCode}：{c.filed}
              </Typography>
            ))}
          </Stack>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem' }}>
            {t('stats_by')}
          </Typography>
          <Tabs value={group} onChange={(_, v: EmploymentStatsGroup) => setGroup(v)}>
            {(['school', 'enterprise', 'county', 'class'] as const).map((g) => (
              <Tab key={g} value={g} label={t(`group_${g}`)} />
            ))}
          </Tabs>
          <Box sx={{ overflowX: 'auto' }}>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t(`group_${group}`)}</TableCell>
                  <TableCell>{t('classes')}</TableCell>
                  <TableCell>{t('students')}</TableCell>
                  <TableCell>{t('graduates')}</TableCell>
                  <TableCell>{t('employed_enterprise')}</TableCell>
                  <TableCell>{t('employed_elsewhere')}</TableCell>
                  <TableCell>{t('further_study')}</TableCell>
                  <TableCell>{t('enterprise_rate')}</TableCell>
                  <TableCell>{t('employment_rate')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {(stats.data ?? []).map((s) => (
                  <TableRow key={s.key}>
                    <TableCell>{s.label}</TableCell>
                    <TableCell>{s.classes}</TableCell>
                    <TableCell>{s.students}</TableCell>
                    <TableCell>{s.graduated}</TableCell>
                    <TableCell>{s.employedByEnterprise}</TableCell>
                    <TableCell>{s.employedElsewhere}</TableCell>
                    <TableCell>{s.furtherStudy}</TableCell>
                    <TableCell>{percent(s.enterpriseRate)}</TableCell>
                    <TableCell>{percent(s.employmentRate)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {stats.data?.length === 0 && (
              <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
                {t('no_reported')}
              </Typography>
            )}
          </Box>
        </CardContent>
      </Card>
    </Stack>
  );
}
