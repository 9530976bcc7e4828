import { Alert, Box, Button, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { PracticeLedgerDto } from '@portal/contracts';
import { Loading, Title, useNotify, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { useMe } from '../../common/useMe';
import { Section } from './shared';

/** The signed-in teacher's ledger as of today (the server computes it: DOMAIN.md §3's rule, all numbers settings). */
export function useMyLedger() {
  const api = usePortalApi();
  const { me } = useMe();
  return useQuery({
    queryKey: ['teachers', me?.id, 'ledger'],
    queryFn: () => api.get<PracticeLedgerDto>(`/teachers/${me!.id}/ledger`),
    enabled: !!me,
  });
}

/** A teacher's standing against the rule today: hours and months, a bar toward the required months, met until when or hours short. */
export function LedgerProgress({ l }: { l: PracticeLedgerDto }) {
  const translate = useTranslate();
  const pct = Math.min(100, Math.round((l.hours / l.requiredHours) * 100));
  return (
    <>
      <Typography data-testid="ledger-progress">
        {translate('app.practice.ledger_progress', { months: l.months, hours: l.hours, required: l.requiredMonths })}
      </Typography>
      <Box>
        <LinearProgress variant="determinate" value={pct} color={l.met ? 'success' : 'primary'} sx={{ height: 12, borderRadius: 6 }} />
      </Box>
      {l.met ? (
        <Alert severity="success" data-testid="ledger-met">
          {translate('app.practice.ledger_met', { required: l.requiredMonths })}
          {l.lastMetDate ? `；${translate('app.practice.ledger_lapses', { date: l.lastMetDate })}` : ''}
        </Alert>
      ) : (
        <Alert severity="info" data-testid="ledger-not-met">
          {translate('app.practice.ledger_not_met', { required: l.requiredMonths, left: l.requiredHours - l.hours })}
        </Alert>
      )}
    </>
  );
}

/** 我的实践达标: the teacher's 5-year ledger today, a progress bar toward the required months, the date it lapses. */
export function MyLedgerPage() {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const { data: l, error, isPending } = useMyLedger();
  if (error) return <Alert severity="warning">{errorMessage(error)}</Alert>;
  if (isPending || !l) return <Loading />;
  const summary = async () => {
    try {
      await api.post(`/teachers/${l.teacherId}/summary`);
      notify(translate('app.practice.summary_requested'), { type: 'success' });
    } catch (e) {
      notify(errorMessage(e), { type: 'warning' });
    }
  };
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={translate('app.menu.my_ledger')} />
      <Section title={translate('app.practice.ledger_title')} testId="ledger">
        <Stack spacing={1.5}>
          <LedgerProgress l={l} />
          <Box>
            <Button variant="outlined" onClick={() => void summary()} disabled={!l.records.length}>
              {translate('app.practice.summary')}
            </Button>
          </Box>
        </Stack>
      </Section>
      <Section title={translate('app.practice.ledger_records')}>
        {l.records.length === 0 ? (
          <Typography color="text.secondary">{translate('app.practice.none')}</Typography>
        ) : (
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>{translate('resources.practice-records.fields.hostName')}</TableCell>
                <TableCell>{translate('resources.practice-records.fields.period')}</TableCell>
                <TableCell>{translate('resources.practice-records.fields.hours')}</TableCell>
                <TableCell>{translate('app.practice.leaves_on')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {l.records.map((r) => (
                <TableRow key={r.id}>
                  <TableCell>{r.hostName ?? '—'}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{`${r.startDate} 至 ${r.endDate}`}</TableCell>
                  <TableCell>{r.hours}</TableCell>
                  <TableCell>{r.leavesOn}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>
    </Stack>
  );
}
