import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { IconButton, Stack, Tooltip, Typography } from '@mui/material';
import { DOCUMENT_KIND_CODES, DOCUMENTS_KIND_LABEL, type DocumentDto } from './kinds';
import { DataTable, List, SelectInput, useTranslate } from 'react-admin';
import { formatDate } from '../../common/format';
import { DocumentDownloadButton, DocumentStatusChip } from './DocumentButtons';

function useFilters() {
  const translate = useTranslate();
  return [<SelectInput key="kind" source="kind" choices={DOCUMENT_KIND_CODES.map((k) => ({ id: k, name: DOCUMENTS_KIND_LABEL[k] }))} translateChoice={false} alwaysOn emptyText={translate('app.common.all')} />];
}

/** The documents table (also embedded in 我的证书与文件): kind, serial, holder, dates, status, download, public verification. */
export function DocumentTable() {
  const translate = useTranslate();
  return (
    <DataTable bulkActionButtons={false} rowClick={false}>
      <DataTable.Col source="kindLabel" disableSort />
      <DataTable.Col source="serial" disableSort render={(d: DocumentDto) => <Typography sx={{ fontFamily: 'monospace', fontSize: 13 }}>{d.serial}</Typography>} />
      <DataTable.Col source="holderName" disableSort />
      <DataTable.Col source="issuedAt" disableSort render={(d: DocumentDto) => formatDate(d.issuedAt)} />
      <DataTable.Col source="validUntil" disableSort render={(d: DocumentDto) => formatDate(d.validUntil)} />
      <DataTable.Col
        source="status"
        disableSort
        render={(d: DocumentDto) => (
          <Stack spacing={0.25}>
            <DocumentStatusChip status={d.status} />
            {d.revokeReason && (
              <Typography variant="caption" color="text.secondary">
                {d.revokeReason}
              </Typography>
            )}
          </Stack>
        )}
      />
      <DataTable.Col
        label=""
        disableSort
        render={(d: DocumentDto) => (
          <Stack direction="row" spacing={0.5} sx={{ justifyContent: 'flex-end', alignItems: 'center' }}>
            <DocumentDownloadButton doc={d} />
            <Tooltip title={translate('app.documents.verify')}>
              <IconButton size="small" component="a" href={d.verifyUrl} target="_blank" rel="noopener" aria-label={`${translate('app.documents.verify')} ${d.serial}`}>
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
    <List title={translate('app.menu.documents')} filters={useFilters()} sort={{ field: 'id', order: 'DESC' }} perPage={25} exporter={false}>
      <DocumentTable />
    </List>
  );
}
