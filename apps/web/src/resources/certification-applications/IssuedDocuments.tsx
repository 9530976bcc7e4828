import { Box, CircularProgress, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { DocumentDto } from '@portal/contracts';
import { useTranslate } from 'react-admin';
import { listPath, usePortalApi } from '../../common/api';
import { formatDate } from '../../common/format';
import { DocumentDownloadButton, DocumentStatusChip } from '../documents/DocumentButtons';

/**
 * The documents issued about a case (the certificate) and, for the enterprise, its subsidy notices; each
 * with its serial, status and a download.
 */
export function IssuedDocuments({ caseId, includeSubsidyNotices }: { caseId: number; includeSubsidyNotices?: boolean }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const { data, isPending } = useQuery({
    queryKey: ['documents', 'issued', caseId, includeSubsidyNotices],
    queryFn: async () => {
      const own = await api.get<DocumentDto[]>(listPath('documents', { filter: { caseId }, sort: ['id', 'DESC'], range: [0, 49] }));
      if (!includeSubsidyNotices) return own;
      const notices = await api.get<DocumentDto[]>(listPath('documents', { filter: { kind: 'subsidy_notice' }, sort: ['id', 'DESC'], range: [0, 49] }));
      return [...own, ...notices.filter((n) => !own.some((o) => o.id === n.id))];
    },
    refetchInterval: (q) => ((q.state.data ?? []).length === 0 ? 15_000 : false),
  });
  if (isPending) return <CircularProgress size={20} />;
  const docs = data ?? [];
  if (docs.length === 0)
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('app.documents.none_yet')}
      </Typography>
    );
  return (
    <Stack spacing={1.25} data-testid="issued-documents">
      {docs.map((d) => (
        <Box key={d.id} sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
          <Box sx={{ flex: 1, minWidth: 160 }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {d.kindLabel}
            </Typography>
            <Typography variant="caption" color="text.secondary" component="div">
              {d.serial} · {translate('app.documents.issued_on', { date: formatDate(d.issuedAt) })}
            </Typography>
          </Box>
          <DocumentStatusChip status={d.status} label={d.statusLabel} />
          <DocumentDownloadButton doc={d} label={translate('app.documents.download_kind', { kind: d.kindLabel })} />
        </Box>
      ))}
    </Stack>
  );
}
