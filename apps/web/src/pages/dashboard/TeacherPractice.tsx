import { Alert, Box, Card, CardContent, Chip, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { TeacherDto } from '@portal/contracts';
import { Link, Loading, useGetList, useTranslate } from 'react-admin';
import { errorMessage, listPath } from '../../common/api';
import { SCHOOL_APPROVAL_STAGE } from '../../resources/practice/keys';

/** Teachers shown on the home page; the rest are one click away in 本校教师. */
const SHOWN = 10;

function Status({ t }: { t: TeacherDto }) {
  const translate = useTranslate();
  if (!t.met) return <Chip size="small" color="error" variant="outlined" label={translate('app.practice.home_not_met_chip')} />;
  if (t.atRisk) return <Chip size="small" color="warning" label={translate('app.practice.home_at_risk_chip', { date: t.lastMetDate })} />;
  return <Chip size="small" color="success" label={translate('app.practice.home_met_chip')} />;
}

/**
 * A school admin's home page (issue 12: "a school … its teachers' practice status"): the school's active teachers
 * against 《职业学校教师企业实践规定》 (DOMAIN.md §3, seed task 47) — hours counted in the rolling window against the
 * hours required (settings), records awaiting the school, 达标 or not — furthest behind first (fewest hours), each
 * with a link to their records; 达标 x / 共 y above. All from the `teachers` list (the server scopes it to the
 * admin's school and masks phones) and the records list's total at 学校审核.
 */
export function TeacherPracticeStatus({ schoolId }: { schoolId: number }) {
  const translate = useTranslate();
  const filter = { schoolId, active: true };
  const { data, total, isPending, error } = useGetList<TeacherDto>('teachers', {
    filter,
    sort: { field: 'hours', order: 'ASC' },
    pagination: { page: 1, perPage: SHOWN },
  });
  const one = { page: 1, perPage: 1 };
  const met = useGetList<TeacherDto>('teachers', { filter: { ...filter, met: true }, pagination: one });
  const atRisk = useGetList<TeacherDto>('teachers', { filter: { ...filter, atRisk: true }, pagination: one });
  const awaitingFilter = { state: SCHOOL_APPROVAL_STAGE, schoolId };
  const awaiting = useGetList('practice-records', { filter: awaitingFilter, pagination: one });
  const first = data?.[0];
  return (
    <Card data-testid="teacher-practice">
      <CardContent>
        <Typography variant="h6">{translate('app.practice.home_title')}</Typography>
        {first && (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {translate('app.practice.home_rule', { months: first.requiredMonths, hours: first.requiredHours, years: first.windowYears })}
          </Typography>
        )}
        {isPending ? (
          <Loading />
        ) : error ? (
          <Alert severity="warning">{errorMessage(error)}</Alert>
        ) : !data?.length ? (
          <Alert severity="info">{translate('app.practice.home_none')}</Alert>
        ) : (
          <>
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', mb: 1 }} data-testid="teacher-practice-summary">
              <Typography variant="subtitle1" sx={{ fontWeight: 600 }} data-testid="teacher-practice-met">
                {translate('app.practice.home_met', { met: met.total ?? 0, total: total ?? 0 })}
              </Typography>
              {!!atRisk.total && <Chip size="small" color="warning" label={translate('app.practice.home_at_risk', { n: atRisk.total })} />}
              {!!awaiting.total && (
                <Link to={listPath('practice-records', { filter: awaitingFilter })}>
                  <Chip size="small" color="primary" clickable label={translate('app.practice.home_awaiting', { n: awaiting.total })} />
                </Link>
              )}
            </Stack>
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="teacher-practice-table">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('resources.teachers.fields.displayName')}</TableCell>
                    <TableCell>{translate('resources.teachers.fields.major')}</TableCell>
                    <TableCell sx={{ minWidth: 260 }}>{translate('app.practice.hours_in_window', { years: data[0].windowYears })}</TableCell>
                    <TableCell>{translate('resources.teachers.fields.met')}</TableCell>
                    <TableCell>{translate('app.practice.home_records')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.map((t) => (
                    <TableRow key={t.id} data-testid={`teacher-practice-${t.id}`}>
                      <TableCell>{t.displayName}</TableCell>
                      <TableCell>{t.major}</TableCell>
                      <TableCell>
                        <LinearProgress
                          variant="determinate"
                          value={Math.min(100, t.requiredHours > 0 ? (t.hours / t.requiredHours) * 100 : 100)}
                          color={t.met ? (t.atRisk ? 'warning' : 'success') : 'primary'}
                          sx={{ height: 6, borderRadius: 3, mb: 0.5 }}
                        />
                        <Typography variant="caption">
                          {translate('app.practice.home_progress', {
                            hours: t.hours,
                            required: t.requiredHours,
                            months: t.months,
                            requiredMonths: t.requiredMonths,
                          })}
                          {!t.met && ` · ${translate('app.practice.home_left', { left: t.requiredHours - t.hours })}`}
                        </Typography>
                      </TableCell>
                      <TableCell>
                        <Status t={t} />
                      </TableCell>
                      <TableCell>
                        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                          <Link to={listPath('practice-records', { filter: { teacherId: t.id } })}>{translate('app.practice.home_records')}</Link>
                          {t.awaitingSchool > 0 && (
                            <Link to={listPath('practice-records', { filter: { teacherId: t.id, state: SCHOOL_APPROVAL_STAGE } })}>
                              <Chip
                                size="small"
                                color="primary"
                                variant="outlined"
                                clickable
                                label={translate('app.practice.home_awaiting_one', { n: t.awaitingSchool })}
                              />
                            </Link>
                          )}
                        </Stack>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
            <Box sx={{ mt: 1 }}>
              <Link to={`${listPath('teachers', { filter })}&sort=hours&order=ASC`}>{translate('app.practice.home_all', { n: total ?? 0 })}</Link>
            </Box>
          </>
        )}
      </CardContent>
    </Card>
  );
}
