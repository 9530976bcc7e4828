import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { Alert, Box, Button, Card, CardContent, Stack, Table, TableBody, TableCell, TableFooter, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { CERTIFICATION_LEVELS, countyName, type CertificationLevel, type SubsidyTotals } from '@portal/contracts';
import { Loading, Title, useNavigate, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { formatFen } from '../../common/format';

const money = (fen: number) => formatFen(fen, '');

/** 补助汇总: by county and level — granted (budgeted), notified, paid and to recover, in 元. */
export function SubsidyTotalsPage() {
  const translate = useTranslate();
  const api = usePortalApi();
  const navigate = useNavigate();
  const { data, isPending, error } = useQuery({ queryKey: ['subsidies', 'totals'], queryFn: () => api.get<SubsidyTotals[]>('/subsidies/totals') });
  if (isPending) return <Loading />;
  if (error)
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {errorMessage(error)}
      </Alert>
    );
  const rows = data ?? [];
  const sum = (k: keyof SubsidyTotals) => rows.reduce((a, r) => a + Number(r[k] ?? 0), 0);
  const byLevel = (Object.keys(CERTIFICATION_LEVELS) as CertificationLevel[]).map((l) => ({
    level: l,
    count: rows.filter((r) => r.level === l).reduce((a, r) => a + r.count, 0),
    budgeted: rows.filter((r) => r.level === l).reduce((a, r) => a + Number(r.budgetedFen ?? 0), 0),
    paid: rows.filter((r) => r.level === l).reduce((a, r) => a + Number(r.paidFen ?? 0), 0),
  }));
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={translate('app.subsidies.totals')} />
      <Box>
        <Button size="small" startIcon={<ArrowBackIcon />} onClick={() => navigate('/subsidies')}>
          {translate('app.menu.subsidies')}
        </Button>
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'repeat(3, 1fr)' }, gap: 2 }}>
        {byLevel.map((l) => (
          <Card key={l.level}>
            <CardContent>
              <Typography variant="overline" color="text.secondary">
                {CERTIFICATION_LEVELS[l.level].label}
              </Typography>
              <Typography variant="h5">{formatFen(l.budgeted)}</Typography>
              <Typography variant="body2" color="text.secondary">
                {translate('app.subsidies.level_summary', { count: l.count, paid: formatFen(l.paid) })}
              </Typography>
            </CardContent>
          </Card>
        ))}
      </Box>
      <Card>
        <CardContent>
          <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', mb: 1 }}>
            {translate('app.subsidies.by_county')}
          </Typography>
          {rows.length === 0 ? (
            <Typography variant="body2" color="text.secondary">
              {translate('app.subsidies.no_totals')}
            </Typography>
          ) : (
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="subsidy-totals">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('resources.subsidies.fields.countyCode')}</TableCell>
                    <TableCell>{translate('resources.subsidies.fields.level')}</TableCell>
                    <TableCell align="right">{translate('app.subsidies.count')}</TableCell>
                    <TableCell align="right">{translate('app.subsidies.budgeted')}</TableCell>
                    <TableCell align="right">{translate('app.subsidies.notified')}</TableCell>
                    <TableCell align="right">{translate('app.subsidies.paid')}</TableCell>
                    <TableCell align="right">{translate('app.subsidies.to_recover')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {rows.map((r) => (
                    <TableRow key={`${r.countyCode}-${r.level}`}>
                      <TableCell>{countyName(r.countyCode) ?? translate('app.subsidies.city_level')}</TableCell>
                      <TableCell>{CERTIFICATION_LEVELS[r.level as CertificationLevel]?.label ?? r.level}</TableCell>
                      <TableCell align="right">{r.count}</TableCell>
                      <TableCell align="right">{money(r.budgetedFen)}</TableCell>
                      <TableCell align="right">{money(r.notifiedFen)}</TableCell>
                      <TableCell align="right">{money(r.paidFen)}</TableCell>
                      <TableCell align="right" sx={{ color: r.toRecoverFen ? 'error.main' : undefined }}>
                        {money(r.toRecoverFen)}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
                <TableFooter sx={{ '& td': { fontSize: '0.875rem', color: 'text.primary' } }}>
                  <TableRow>
                    <TableCell colSpan={2} sx={{ fontWeight: 700 }}>
                      {translate('app.subsidies.total_row')}
                    </TableCell>
                    <TableCell align="right" sx={{ fontWeight: 700 }}>
                      {sum('count')}
                    </TableCell>
                    <TableCell align="right" sx={{ fontWeight: 700 }}>
                      {money(sum('budgetedFen'))}
                    </TableCell>
                    <TableCell align="right" sx={{ fontWeight: 700 }}>
                      {money(sum('notifiedFen'))}
                    </TableCell>
                    <TableCell align="right" sx={{ fontWeight: 700 }}>
                      {money(sum('paidFen'))}
                    </TableCell>
                    <TableCell align="right" sx={{ fontWeight: 700 }}>
                      {money(sum('toRecoverFen'))}
                    </TableCell>
                  </TableRow>
                </TableFooter>
              </Table>
              <Typography variant="caption" color="text.secondary">
                {translate('app.subsidies.unit_hint')}
              </Typography>
            </Box>
          )}
        </CardContent>
      </Card>
    </Stack>
  );
}
