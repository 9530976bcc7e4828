import { Alert, Box, Button, CircularProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { DocumentDto, SummaryRequestDto } from '@portal/contracts';
import { useState } from 'react';
import { Loading, Title, useNotify, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { DocumentDownloadButton } from '../documents/DocumentButtons';
import { LedgerProgress, useMyLedger } from './ledger';
import { Section } from './shared';

/** How often and how long the page asks again for a summary being issued (the documents job renders it in seconds). */
const SUMMARY_POLL_MS = 1500;
const SUMMARY_POLL_TRIES = 20;

/**
 * 我的实践达标: the teacher's ledger today over the rule's window (setting practice.windowYears), a progress bar toward
 * the required months, the date it lapses; the 5-year summary on request, offered for download once issued (asking
 * again answers the same request while nothing changed, so the page asks again until the document is there).
 */
export function MyLedgerPage() {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const { data: l, error, isPending } = useMyLedger();
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<DocumentDto | null>(null);
  if (error) return <Alert severity="warning">{errorMessage(error)}</Alert>;
  if (isPending || !l) return <Loading />;
  const summary = async () => {
    setIssuing(true);
    setIssued(null);
    try {
      for (let i = 0; i < SUMMARY_POLL_TRIES; i++) {
        const r = await api.post<SummaryRequestDto>(`/teachers/${l.teacherId}/summary`);
        if (r.documentId !== null) {
          setIssued(await api.get<DocumentDto>(`/documents/${r.documentId}`));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, SUMMARY_POLL_MS));
      }
      notify(translate('app.practice.summary_requested'), { type: 'info' });
    } catch (e) {
      notify(errorMessage(e), { type: 'warning' });
    } finally {
      setIssuing(false);
    }
  };
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={translate('app.menu.my_ledger')} />
      <Section title={translate('app.practice.ledger_title', { years: l.windowYears })} testId="ledger">
        <Stack spacing={1.5}>
          <LedgerProgress l={l} />
          <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <Button
              variant="outlined"
              onClick={() => void summary()}
              disabled={!l.records.length || issuing}
              startIcon={issuing ? <CircularProgress size={14} /> : undefined}
            >
              {translate(issuing ? 'app.practice.summary_issuing' : 'app.practice.summary', { years: l.windowYears })}
            </Button>
            {issued && (
              <Box data-testid="summary-issued" sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
                <Typography variant="body2">{translate('app.practice.summary_issued', { serial: issued.serial })}</Typography>
                <DocumentDownloadButton doc={issued} variant="contained" />
              </Box>
            )}
          </Stack>
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
