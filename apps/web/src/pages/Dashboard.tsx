import FactoryIcon from '@mui/icons-material/Factory';
import FlagIcon from '@mui/icons-material/Flag';
import SchoolIcon from '@mui/icons-material/School';
import WorkIcon from '@mui/icons-material/Work';
import { lazy, Suspense, type ReactNode } from 'react';
import { Avatar, Box, Card, CardContent, Chip, Divider, Stack, Typography } from '@mui/material';
import { countyName, isRole, type MeDto, type TargetDto } from '@portal/contracts';
import { Loading, Title, useGetIdentity, useGetList, useTranslate } from 'react-admin';
import { kindKey, roleKey } from '../common/choices';
import { formatCount } from '../common/format';
import { EnterpriseCertification } from './dashboard/EnterpriseCertification';
import { EnterprisePending } from './dashboard/EnterprisePending';
import { EnterprisePosts } from './dashboard/EnterprisePosts';
import { PendingSubsidies, PendingTasks } from './dashboard/PendingWork';
import { TeacherLedger } from './dashboard/TeacherLedger';
import { TeacherPracticeStatus } from './dashboard/TeacherPractice';

/** The indicators and their charts (@mui/x-charts is large: loaded only for the roles that see them). */
const KpiBoard = lazy(() => import('./dashboard/KpiBoard').then((m) => ({ default: m.KpiBoard })));

function Goal({ icon, text }: { icon: ReactNode; text: string }) {
  return (
    <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', p: 1.5, borderRadius: 1, bgcolor: 'rgba(26,79,156,0.05)' }}>
      <Avatar sx={{ bgcolor: 'primary.main', width: 36, height: 36 }}>{icon}</Avatar>
      <Typography variant="body2">{text}</Typography>
    </Stack>
  );
}

const GOAL_ICONS: Record<string, ReactNode> = {
  certified_enterprises: <FactoryIcon fontSize="small" />,
  order_classes: <SchoolIcon fontSize="small" />,
  practice_person_times: <WorkIcon fontSize="small" />,
};

/** The city's targets as the admin keeps them in 规划目标 (not figures written into the text), for those without figures. */
function Goals() {
  const translate = useTranslate();
  const { data } = useGetList<TargetDto>('targets', {
    filter: { countyCode: 'city' },
    sort: { field: 'seedTask', order: 'ASC' },
    pagination: { page: 1, perPage: 50 },
  });
  if (!data?.length) return null;
  return (
    <>
      <Divider sx={{ my: 2 }} />
      <Typography variant="subtitle2" gutterBottom>
        {translate('app.dashboard.goals_title')}
      </Typography>
      {/* a grid, so that a last row of fewer goals keeps the others' width */}
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 1.5 }} data-testid="goals">
        {data.map((g) => (
          <Goal
            key={g.id}
            icon={GOAL_ICONS[g.indicator] ?? <FlagIcon fontSize="small" />}
            text={translate(g.unit === '%' ? 'app.dashboard.goal_share' : 'app.dashboard.goal_count', {
              label: g.label,
              value: formatCount(g.value),
              unit: g.unit,
              deadline: g.deadline,
            })}
          />
        ))}
      </Box>
    </>
  );
}

/**
 * 首页 per role: who you are; then a reviewer's, expert's, finance officer's or enterprise's pending work first (with
 * deadlines); an enterprise then its certification; the city every indicator against its target with the trend and
 * splits (a bar opens its list); a county its county; an enterprise or a school its own figures, a school also its
 * teachers' practice status, an enterprise also its 千企万岗 posts. Those without figures read what the portal is for.
 */
export function Dashboard() {
  const translate = useTranslate();
  const { identity, isPending } = useGetIdentity();
  if (isPending) return <Loading />;
  const me = identity as (MeDto & { fullName?: string }) | undefined;
  const roles = (me?.roles ?? []).filter(isRole);
  const org = me?.organisation;
  const jurisdiction = me?.jurisdiction ? (countyName(me.jurisdiction) ?? me.jurisdiction) : null;
  const has = (...r: string[]) => roles.some((x) => r.includes(x));
  const reviewsOrScores = has('city_reviewer', 'county_reviewer', 'expert');
  const finance = has('finance');
  // the figures the server answers for this user (city, county or own organisation); experts and teachers have none
  const figures = has('admin', 'city_reviewer', 'county_reviewer', 'finance', 'enterprise_applicant', 'school_admin');
  const charts = has('admin', 'city_reviewer', 'county_reviewer', 'finance');
  const enterprise = has('enterprise_applicant') && org?.kind === 'enterprise' ? org : null;
  return (
    <Box sx={{ mt: 2, display: 'flex', flexDirection: 'column', gap: 2 }} data-testid="dashboard">
      <Title title={translate('app.dashboard.title')} />
      <Card>
        <CardContent>
          <Typography variant="h5" component="h1" gutterBottom data-testid="welcome">
            {translate('app.dashboard.welcome', { name: me?.displayName ?? me?.fullName ?? '' })}
          </Typography>
          <Stack spacing={1.25} sx={{ mt: 2 }}>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
              <Typography variant="body2" color="text.secondary" sx={{ minWidth: 72 }}>
                {translate('app.dashboard.organisation')}
              </Typography>
              <Typography variant="body1" data-testid="organisation-name">
                {org?.name ?? '—'}
              </Typography>
              {org?.kind && <Chip size="small" label={translate(kindKey(org.kind))} />}
              {org?.countyCode && <Chip size="small" variant="outlined" label={countyName(org.countyCode) ?? org.countyCode} />}
            </Stack>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} data-testid="roles">
              <Typography variant="body2" color="text.secondary" sx={{ minWidth: 72 }}>
                {translate('app.dashboard.roles')}
              </Typography>
              {roles.map((r) => (
                <Chip key={r} size="small" color="primary" variant="outlined" label={translate(roleKey(r))} />
              ))}
            </Stack>
            {roles.some((r) => r === 'county_reviewer' || r === 'city_reviewer' || r === 'finance') ? (
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                <Typography variant="body2" color="text.secondary" sx={{ minWidth: 72 }}>
                  {translate('app.dashboard.jurisdiction')}
                </Typography>
                <Typography variant="body1">{jurisdiction ?? translate('app.dashboard.city_wide')}</Typography>
              </Stack>
            ) : null}
          </Stack>
        </CardContent>
      </Card>
      {reviewsOrScores && <PendingTasks />}
      {finance && <PendingSubsidies />}
      {enterprise && <EnterprisePending />}
      {enterprise && <EnterpriseCertification enterpriseId={enterprise.id} />}
      {figures && (
        <Suspense fallback={<Loading />}>
          <KpiBoard charts={charts} />
        </Suspense>
      )}
      {has('school_admin') && org?.kind === 'school' && <TeacherPracticeStatus schoolId={org.id} />}
      {has('teacher') && <TeacherLedger />}
      {enterprise && <EnterprisePosts enterpriseId={enterprise.id} />}
      {!figures && (
        <Card>
          <CardContent>
            <Typography variant="h6" gutterBottom>
              {translate('app.dashboard.about_title')}
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ lineHeight: 1.9 }}>
              {translate('app.dashboard.about')}
            </Typography>
            <Goals />
          </CardContent>
        </Card>
      )}
    </Box>
  );
}
