import DownloadIcon from '@mui/icons-material/Download';
import { Button, Chip, CircularProgress } from '@mui/material';
import type { DocumentDto, DocumentStatus } from '@portal/contracts';
import { useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';

export const DOCUMENT_STATUS_COLOUR: Record<DocumentStatus, 'success' | 'default' | 'error'> = { valid: 'success', expired: 'default', revoked: 'error' };

/** The status as a chip; `label`: what the server says became of its subject (已追回…), when given. */
export function DocumentStatusChip({ status, label }: { status: DocumentStatus; label?: string }) {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      color={DOCUMENT_STATUS_COLOUR[status]}
      label={label ?? translate(`app.documents.status.${status}`)}
      sx={{ alignSelf: 'flex-start', maxWidth: '100%' }}
    />
  );
}

/** 下载 a document's PDF (with the bearer token), named by its serial. */
export function DocumentDownloadButton({
  doc,
  label,
  variant = 'outlined',
}: {
  doc: Pick<DocumentDto, 'id' | 'serial' | 'kindLabel'>;
  label?: string;
  variant?: 'outlined' | 'contained' | 'text';
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await api.download(`/documents/${doc.id}/download`, `${doc.serial}.pdf`);
    } catch (err) {
      notify(errorMessage(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size="small"
      variant={variant}
      startIcon={busy ? <CircularProgress size={14} /> : <DownloadIcon />}
      disabled={busy}
      onClick={(e) => {
        e.stopPropagation();
        void download();
      }}
    >
      {label ?? translate('app.common.download')}
    </Button>
  );
}
