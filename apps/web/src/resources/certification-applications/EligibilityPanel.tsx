import BlockIcon from '@mui/icons-material/Block';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import { Alert, Box, CircularProgress, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { EligibilityRule, RuleStatus } from '@portal/contracts';
import type { ReactElement } from 'react';
import { useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { casePartKey } from '../../workflow/hooks';

const ICON: Record<RuleStatus, ReactElement> = {
  pass: <CheckCircleIcon color="success" fontSize="small" />,
  warn: <WarningAmberIcon color="warning" fontSize="small" />,
  block: <BlockIcon color="error" fontSize="small" />,
};

const BG: Record<RuleStatus, string> = { pass: 'transparent', warn: '#fff8e6', block: '#fdecea' };

export function useEligibility(applicationId: number, caseRef: string) {
  const api = usePortalApi();
  return useQuery({
    queryKey: casePartKey(caseRef, 'eligibility'),
    queryFn: () => api.get<EligibilityRule[]>(`/certification-applications/${applicationId}/eligibility`),
  });
}

/** 资格预审: every rule as pass / warn / block, with its message and the policy it comes from. */
export function EligibilityPanel({ applicationId, caseRef }: { applicationId: number; caseRef: string }) {
  const translate = useTranslate();
  const { data, isPending, error, isFetching } = useEligibility(applicationId, caseRef);
  if (isPending) return <CircularProgress size={24} />;
  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  const rules = data ?? [];
  const blocks = rules.filter((r) => r.status === 'block').length;
  const warns = rules.filter((r) => r.status === 'warn').length;
  return (
    <Stack spacing={1} data-testid="eligibility">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Alert severity={blocks ? 'error' : warns ? 'warning' : 'success'} sx={{ flex: 1, py: 0 }}>
          {blocks
            ? translate('app.cert.eligibility_blocked', { n: blocks })
            : warns
              ? translate('app.cert.eligibility_warn', { n: warns })
              : translate('app.cert.eligibility_ok')}
        </Alert>
        {isFetching && <CircularProgress size={16} />}
      </Stack>
      <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0 }}>
        {rules.map((r) => (
          <Box
            component="li"
            key={r.code}
            data-rule={r.code}
            data-status={r.status}
            sx={{ display: 'flex', gap: 1.25, alignItems: 'flex-start', py: 0.75, px: 1, borderBottom: 1, borderColor: 'divider', bgcolor: BG[r.status] }}
          >
            <Box sx={{ pt: 0.25 }} aria-label={translate(`app.cert.rule_${r.status}`)}>
              {ICON[r.status]}
            </Box>
            <Box sx={{ flex: 1, minWidth: 0 }}>
              <Typography variant="body2" sx={{ fontWeight: 600 }}>
                {r.label}
              </Typography>
              <Typography variant="body2">{r.message}</Typography>
              <Typography variant="caption" color="text.secondary">
                {translate('app.cert.rule_source')}：{r.source}
              </Typography>
            </Box>
          </Box>
        ))}
      </Box>
    </Stack>
  );
}
