import { Alert, Box, LinearProgress, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { PracticeLedgerDto } from '@portal/contracts';
import { useTranslate } from 'react-admin';
import { usePortalApi } from '../../common/api';
import { useMe } from '../../common/useMe';

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
          {translate('app.practice.ledger_met', { required: l.requiredMonths, years: l.windowYears })}
          {l.lastMetDate ? `；${translate('app.practice.ledger_lapses', { date: l.lastMetDate })}` : ''}
        </Alert>
      ) : (
        <Alert severity="info" data-testid="ledger-not-met">
          {translate('app.practice.ledger_not_met', { required: l.requiredMonths, years: l.windowYears, left: l.requiredHours - l.hours })}
        </Alert>
      )}
    </>
  );
}
