import { Alert, Box, Button, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Loading, Title, useNotify, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { LedgerProgress, useMyLedger } from './ledger';
import { Section } from './shared';

/** 我的实践达标: the teacher's ledger today over the rule's window (setting practice.windowYears), a progress bar toward the required months, the date it lapses. */
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
      <Section title={translate('app.practice.ledger_title', { years: l.windowYears })} testId="ledger">
        <Stack spacing={1.5}>
          <LedgerProgress l={l} />
          <Box>
            <Button variant="outlined" onClick={() => void summary()} disabled={!l.records.length}>
              {translate('app.practice.summary', { years: l.windowYears })}
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
