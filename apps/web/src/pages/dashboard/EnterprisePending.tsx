import { Alert, Box, Card, CardContent, Chip, List, ListItemButton, Stack, Typography } from '@mui/material';
import {
  daysBetween,
  portalDate,
  portalToday,
  type CertificationApplicationDto,
  type OrderClassDto,
  type PracticeApplicationDto,
  type PracticeRecordDto,
} from '@portal/contracts';
import { Link, Loading, useGetList, useNavigate, useTranslate } from 'react-admin';
import { errorMessage, listPath } from '../../common/api';
import { daysUntil, formatDate } from '../../common/format';
import { ENTERPRISE_CONFIRM_STAGE } from '../../resources/order-classes/shared';
import { AWAITING_ACCEPTANCE, HOST_CONFIRM_STAGE } from '../../resources/practice/keys';

/** Rows of each kind on the home page (the oldest); the rest are one click away in the lists. */
const SHOWN = 3;

/** One pending item as the card shows it: what it is, since when it waits, by when it is due (if its stage has a deadline). */
interface Row {
  id: number;
  primary: string;
  secondary: string;
  waitingSince: string;
  dueAt: string | null;
  path: string;
}

/** 已等待 n 天 (calendar days in Wenzhou since it arrived), 今日新到 the same day. */
function Waited({ since }: { since: string }) {
  const translate = useTranslate();
  const days = daysBetween(portalDate(since), portalToday());
  return <>{days > 0 ? translate('app.reporting.waited', { n: days }) : translate('app.reporting.waited_today')}</>;
}

/** The stage's deadline: 办理时限 (warning on its last day), or 已逾期 n 天 once past. */
function Due({ at }: { at: string }) {
  const translate = useTranslate();
  const left = daysUntil(at) ?? 0;
  if (new Date(at).getTime() < Date.now())
    return <Chip size="small" color="error" label={translate('app.reporting.overdue_days', { n: Math.max(1, -left) })} data-testid="pending-overdue" />;
  return (
    <Chip
      size="small"
      variant="outlined"
      color={left <= 1 ? 'warning' : 'default'}
      label={translate('app.reporting.pending_due', { date: formatDate(at) })}
      data-testid="pending-due"
    />
  );
}

/** One kind of pending work: its title, its count (a link to the list filtered the same way, so the totals agree), its oldest rows. */
function Group({ testId, title, count, listTo, rows }: { testId: string; title: string; count: string; listTo: string; rows: Row[] }) {
  const navigate = useNavigate();
  return (
    <Box data-testid={testId} sx={{ minWidth: 0 }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography variant="subtitle2">{title}</Typography>
        <Link to={listTo} data-testid={`${testId}-count`}>
          <Chip size="small" color="primary" clickable label={count} />
        </Link>
      </Stack>
      <List dense disablePadding>
        {rows.map((r) => (
          <ListItemButton key={r.id} onClick={() => navigate(r.path)} sx={{ px: 1, borderRadius: 1, display: 'block' }} data-testid={`${testId}-row-${r.id}`}>
            <Typography variant="body2" noWrap sx={{ fontWeight: 500 }}>
              {r.primary}
            </Typography>
            <Typography variant="caption" color="text.secondary" noWrap component="div">
              {r.secondary}
            </Typography>
            <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mt: 0.5 }}>
              <Typography variant="caption" color="text.secondary" data-testid="pending-waited">
                <Waited since={r.waitingSince} />
              </Typography>
              {r.dueAt && <Due at={r.dueAt} />}
            </Stack>
          </ListItemButton>
        ))}
      </List>
    </Box>
  );
}

/**
 * An enterprise applicant's pending work, first on its home page (issue 12): the order classes awaiting its
 * confirmation as partner (订单班 at 企业确认), its hosted teachers' practice records awaiting its confirmation of the
 * hours (企业确认学时), and the 千企万岗 applications its teachers' schools have let go, awaiting its acceptance. Each
 * kind's count opens its list filtered exactly as counted here; the oldest few rows show how long they have waited and
 * the stage's deadline where the stage has one (the case summary's stageEnteredAt, stageDueAt).
 */
export function EnterprisePending() {
  const translate = useTranslate();
  const page = { page: 1, perPage: SHOWN };
  // the server's read rule gives an enterprise exactly the classes it partners and the records it hosts (the cases
  // naming it as their party): the stage alone filters them, as the menu's 待确认订单班 and 待确认实践 do
  const classFilter = { state: ENTERPRISE_CONFIRM_STAGE };
  const classes = useGetList<OrderClassDto>('order-classes', { filter: classFilter, sort: { field: 'stageDueAt', order: 'ASC' }, pagination: page });
  const recordFilter = { state: HOST_CONFIRM_STAGE };
  const records = useGetList<PracticeRecordDto>('practice-records', { filter: recordFilter, sort: { field: 'stageDueAt', order: 'ASC' }, pagination: page });
  // the server scopes practice applications to the enterprise's own posts
  const applicationFilter = { state: AWAITING_ACCEPTANCE };
  const applications = useGetList<PracticeApplicationDto>('practice-applications', {
    filter: applicationFilter,
    sort: { field: 'updatedAt', order: 'ASC' },
    pagination: page,
  });
  // its own certification applications sent back for corrections: the enterprise's to fix, by the return's deadline
  const returnedFilter = { state: 'returned' };
  const returned = useGetList<CertificationApplicationDto>('certification-applications', {
    filter: returnedFilter,
    sort: { field: 'id', order: 'ASC' },
    pagination: page,
  });
  const pending = classes.isPending || records.isPending || applications.isPending || returned.isPending;
  const error = classes.error ?? records.error ?? applications.error ?? returned.error;
  const total = (classes.total ?? 0) + (records.total ?? 0) + (applications.total ?? 0) + (returned.total ?? 0);
  return (
    <Card data-testid="enterprise-pending">
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
          <Typography variant="h6">{translate('app.reporting.enterprise_pending_title')}</Typography>
          {!pending && !error && total > 0 && (
            <Chip
              size="small"
              color="warning"
              label={translate('app.reporting.enterprise_pending_total', { n: total })}
              data-testid="enterprise-pending-total"
            />
          )}
        </Stack>
        {pending ? (
          <Loading />
        ) : error ? (
          <Alert severity="warning">{errorMessage(error)}</Alert>
        ) : total === 0 ? (
          <Alert severity="success">{translate('app.reporting.enterprise_pending_none')}</Alert>
        ) : (
          <>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
              {translate('app.reporting.enterprise_pending_hint')}
            </Typography>
            <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'repeat(auto-fit, minmax(240px, 1fr))' }, gap: 3 }}>
              {!!returned.total && (
                <Group
                  testId="pending-returned-applications"
                  title={translate('app.reporting.enterprise_pending_returned')}
                  count={translate('app.reporting.enterprise_pending_returned_count', { n: returned.total })}
                  listTo={listPath('certification-applications', { filter: returnedFilter })}
                  rows={(returned.data ?? []).map((a) => ({
                    id: a.id,
                    primary: translate('app.reporting.enterprise_pending_returned_row', { year: a.year }),
                    secondary: translate('app.reporting.enterprise_pending_returned_items', { n: a.case.openReturn?.items.length ?? 0 }),
                    waitingSince: a.case.stageEnteredAt,
                    dueAt: a.case.openReturn?.deadline ?? a.case.stageDueAt,
                    path: '/my-application',
                  }))}
                />
              )}
              {!!classes.total && (
                <Group
                  testId="pending-order-classes"
                  title={translate('app.reporting.enterprise_pending_classes')}
                  count={translate('app.reporting.enterprise_pending_classes_count', { n: classes.total })}
                  listTo={listPath('order-classes', { filter: classFilter })}
                  rows={(classes.data ?? []).map((c) => ({
                    id: c.id,
                    primary: c.name,
                    secondary: c.schoolName,
                    waitingSince: c.case.stageEnteredAt,
                    dueAt: c.case.stageDueAt,
                    path: `/order-classes/${c.id}/show`,
                  }))}
                />
              )}
              {!!records.total && (
                <Group
                  testId="pending-practice-records"
                  title={translate('app.reporting.enterprise_pending_records')}
                  count={translate('app.reporting.enterprise_pending_records_count', { n: records.total })}
                  listTo={listPath('practice-records', { filter: recordFilter })}
                  rows={(records.data ?? []).map((r) => ({
                    id: r.id,
                    primary: translate('app.reporting.enterprise_pending_record', { teacher: r.teacherName, hours: r.hours }),
                    secondary: r.schoolName,
                    waitingSince: r.case.stageEnteredAt,
                    dueAt: r.case.stageDueAt,
                    path: `/practice-records/${r.id}/show`,
                  }))}
                />
              )}
              {!!applications.total && (
                <Group
                  testId="pending-practice-applications"
                  title={translate('app.reporting.enterprise_pending_applications')}
                  count={translate('app.reporting.enterprise_pending_applications_count', { n: applications.total })}
                  listTo={listPath('practice-applications', { filter: applicationFilter })}
                  rows={(applications.data ?? []).map((a) => ({
                    id: a.id,
                    primary: `${a.teacherName} · ${a.schoolName}`,
                    secondary: a.postTitle,
                    // the school's approval is the application's last change while it waits for the enterprise
                    waitingSince: a.updatedAt,
                    dueAt: null,
                    path: listPath('practice-applications', { filter: applicationFilter }),
                  }))}
                />
              )}
            </Box>
          </>
        )}
      </CardContent>
    </Card>
  );
}
