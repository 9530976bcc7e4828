import { Alert, Box, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { PracticeStatsDto } from '@portal/contracts';
import { Loading, Title, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { formatCount } from '../../common/format';
import { Section } from './shared';

function Breakdown({ title, rows }: { title: string; rows: PracticeStatsDto['byCounty'] }) {
  const translate = useTranslate();
  return (
    <Section title={title}>
      {rows.length === 0 ? (
        <Typography color="text.secondary">{translate('app.practice.none')}</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell />
              <TableCell align="right">{translate('app.practice.person_times')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.key || r.label}>
                <TableCell>{r.label}</TableCell>
                <TableCell align="right">{formatCount(r.n)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
}

/**
 * 实践统计 (bureaus): person-times of counted practice by county, school, industry and month against the target (the
 * plan's, 规划目标); a county reviewer's are their county's schools' (the server scopes them), said in the title, beside the
 * city's target rather than measured against it. The shares are the dashboard's: 兼职 ÷ all, 双师型 ÷ full-time.
 */
export function StatsPage() {
  const translate = useTranslate();
  const api = usePortalApi();
  const { data, error, isPending } = useQuery({ queryKey: ['practice-stats'], queryFn: () => api.get<PracticeStatsDto>('/practice-stats') });
  if (error) return <Alert severity="warning">{errorMessage(error)}</Alert>;
  if (isPending || !data) return <Loading />;
  const pct = data.target ? Math.round((data.total / data.target) * 1000) / 10 : 0;
  const county = data.countyName;
  const goal = (value: number | null) => (value === null ? '' : translate('app.practice.share_goal', { value }));
  // a share with nobody to divide by has no value (as on the dashboard's cards), never 0 %
  const share = (n: number, total: number) => (total ? `${Math.round((n / total) * 1000) / 10}%` : translate('app.reporting.no_data'));
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={translate('app.menu.practice_stats')} />
      <Section title={county ? translate('app.practice.stats_title_county', { county }) : translate('app.practice.stats_title')}>
        <Box data-testid="practice-total">
          {county ? (
            <Typography>
              {data.target === null
                ? translate('app.practice.county_total_no_target', { county, total: formatCount(data.total) })
                : translate('app.practice.county_total', { county, total: formatCount(data.total), target: formatCount(data.target) })}
            </Typography>
          ) : data.target === null ? (
            <Typography>{translate('app.practice.total_no_target', { total: formatCount(data.total) })}</Typography>
          ) : (
            <>
              <Typography sx={{ mb: 1 }}>
                {translate('app.practice.target', { target: formatCount(data.target), total: formatCount(data.total), pct })}
              </Typography>
              <LinearProgress variant="determinate" value={Math.min(100, pct)} sx={{ height: 12, borderRadius: 6 }} />
            </>
          )}
        </Box>
        <Typography sx={{ mt: 2 }} data-testid="teacher-shares">
          {translate('app.practice.teacher_shares', {
            total: formatCount(data.teachers.total),
            partTime: share(data.teachers.partTime, data.teachers.total),
            dual: share(data.teachers.dualQualified, data.teachers.fullTime),
            // the plan's targets (editable by an admin on the dashboard's targets), not figures written into the text
            partTimeGoal: goal(data.shareTargets.partTime),
            dualGoal: goal(data.shareTargets.dualQualified),
          })}
        </Typography>
      </Section>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2 }}>
        <Breakdown title={translate('app.practice.by_county')} rows={data.byCounty} />
        <Breakdown title={translate('app.practice.by_school')} rows={data.bySchool} />
        <Breakdown title={translate('app.practice.by_industry')} rows={data.byIndustry} />
        <Breakdown title={translate('app.practice.by_month')} rows={data.byMonth} />
      </Box>
    </Stack>
  );
}
