import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { Box, IconButton, Stack, Tooltip, Typography } from '@mui/material';
import { DOCUMENT_KIND_CODES, DOCUMENTS_KIND_LABEL, type DocumentDto } from './kinds';
import { DataTable, List, SelectInput, useTranslate } from 'react-admin';
import { formatDate } from '../../common/format';
import { DocumentDownloadButton, DocumentStatusChip } from './DocumentButtons';
import { ExportActions } from '../../common/ExportButton';
import { MenuTitle } from '../../layout/SingleActiveMenu';

function useFilters() {
  const translate = useTranslate();
  return [
    <SelectInput
      key="kind"
      source="kind"
      choices={DOCUMENT_KIND_CODES.map((k) => ({ id: k, name: DOCUMENTS_KIND_LABEL[k] }))}
      translateChoice={false}
      alwaysOn
      emptyText={translate('app.common.all')}
    />,
  ];
}

/** The documents table (also embedded in 我的证书与文件): kind, serial, holder, dates, status, download, public verification. */
export function DocumentTable() {
  const translate = useTranslate();
  return (
    <DataTable bulkActionButtons={false} rowClick={false}>
      <DataTable.Col
        source="kindLabel"
        disableSort
        render={(d: DocumentDto) => (
          <Box component="span" sx={{ whiteSpace: 'nowrap' }}>
            {d.kindLabel}
          </Box>
        )}
      />
      <DataTable.Col
        source="serial"
        disableSort
        render={(d: DocumentDto) => (
          <Typography data-testid="document-serial" sx={{ fontFamily: 'monospace', fontSize: 13, whiteSpace: 'nowrap' }}>
            {d.serial}
          </Typography>
        )}
      />
      <DataTable.Col source="holderName" disableSort />
      <DataTable.Col
        source="issuedAt"
        disableSort
        render={(d: DocumentDto) => (
          <Box component="span" sx={{ whiteSpace: 'nowrap' }}>
            {formatDate(d.issuedAt)}
          </Box>
        )}
      />
      <DataTable.Col
        source="validUntil"
        disableSort
        render={(d: DocumentDto) => (
          <Box component="span" sx={{ whiteSpace: 'nowrap' }}>
            {formatDate(d.validUntil)}
          </Box>
        )}
      />
      <DataTable.Col
        source="status"
        disableSort
        render={(d: DocumentDto) => (
          // a revocation's reason can be long: it wraps within a bounded width (two lines, the rest on hover)
          // instead of widening the column and squeezing the serial, the dates and the buttons
          <Stack spacing={0.25} sx={{ alignItems: 'flex-start', maxWidth: 280 }}>
            <DocumentStatusChip status={d.status} label={d.statusLabel} />
            {d.revokeReason && (
              <Tooltip title={d.revokeReason}>
                <Typography
                  variant="caption"
                  color="text.secondary"
                  data-testid="document-revoke-reason"
                  sx={{ display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden', overflowWrap: 'anywhere' }}
                >
                  {d.revokeReason}
                </Typography>
              </Tooltip>
            )}
          </Stack>
        )}
      />
      <DataTable.Col
        label=""
        disableSort
        render={(d: DocumentDto) => (
          <Stack direction="row" spacing={0.5} sx={{ justifyContent: 'flex-end', alignItems: 'center', '& .MuiButton-root': { whiteSpace: 'nowrap' } }}>
            <DocumentDownloadButton doc={d} />
            <Tooltip title={translate('app.documents.verify')}>
              <IconButton
                size="small"
                component="a"
                href={d.verifyUrl}
                target="_blank"
                rel="noopener"
                aria-label={`${translate('app.documents.verify')} ${d.serial}`}
              >
                <OpenInNewIcon fontSize="small" />
              </IconButton>
            </Tooltip>
          </Stack>
        )}
      />
    </DataTable>
  );
}

/** 文件 / 拨付通知: documents the user may see (holder, reviewers, finance by jurisdiction) with download. */
export function DocumentList() {
  const translate = useTranslate();
  return (
    // titled as the menu entry that opened it: 拨付通知 (finance's), 实践证明 (a teacher's), 文件
    <List
      title={<MenuTitle fallback={translate('app.menu.documents')} />}
      filters={useFilters()}
      sort={{ field: 'id', order: 'DESC' }}
      perPage={25}
      exporter={false}
      actions={<ExportActions />}
    >
      <DocumentTable />
    </List>
  );
}
