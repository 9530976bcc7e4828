import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import DownloadIcon from '@mui/icons-material/Download';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import {
  Alert,
  Button,
  CircularProgress,
  IconButton,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import { REVIEW_ATTACHMENT_PURPOSE } from '@portal/contracts';
import { useRef, useState } from 'react';
import { Confirm, useNotify, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../common/api';
import { formatBytes, formatDateTime } from '../common/format';
import { useMe } from '../common/useMe';
import { ACCEPTED_FILES, canAttach, canDelete, missingMaterials, purposeLabel, uploadAttachment, uploadPurposes } from './attachments';
import { useCase, useCaseAttachments, useDefinition, useRefreshCase, type AttachmentDto } from './hooks';

export interface CaseAttachmentsProps {
  caseRef: string;
  workflowKey: string;
  /** purposes offered for an upload (the first is the default); 其他 and 审核意见附件 are always offered, each to its side */
  purposes?: ReadonlyArray<{ purpose: string; label: string }>;
}

/** A case's attachments: list, upload with a purpose, download, delete (when the server would allow it). */
export function CaseAttachments({ caseRef, workflowKey, purposes = [] }: CaseAttachmentsProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const refresh = useRefreshCase();
  const { me } = useMe();
  const { data: summary } = useCase(caseRef);
  const { data: def } = useDefinition(workflowKey);
  const { data, isPending, error } = useCaseAttachments(caseRef);
  const offered = [...purposes];
  for (const extra of ['other', REVIEW_ATTACHMENT_PURPOSE])
    if (!offered.some((p) => p.purpose === extra)) offered.push({ purpose: extra, label: purposeLabel(extra) });
  // what this user may upload with: reviewers a review opinion only, the applicant anything else
  const options = uploadPurposes(offered, summary, me);
  // the definition's checklist: required types are marked in the choice, and the first one still missing is offered first
  const required = new Set((def?.checklist ?? []).map((c) => c.purpose));
  const missing = new Set(missingMaterials(def, data).map((c) => c.purpose));
  const [chosen, setPurpose] = useState<string | undefined>(undefined);
  const purpose =
    chosen !== undefined && options.some((o) => o.purpose === chosen) ? chosen : (options.find((o) => missing.has(o.purpose)) ?? options[0])?.purpose;
  const labelOf = (p: string | null) => offered.find((o) => o.purpose === p)?.label ?? def?.checklist?.find((c) => c.purpose === p)?.label ?? purposeLabel(p);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<AttachmentDto | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const allowed = canAttach(summary, def, me) && options.length > 0;

  const onFile = async (file: File | undefined) => {
    if (!file || !purpose) return;
    setBusy(true);
    try {
      await uploadAttachment(api, caseRef, file, purpose);
      notify(translate('app.attachments.uploaded', { name: file.name }), { type: 'success' });
      refresh(caseRef);
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  const remove = async () => {
    const a = deleting;
    setDeleting(null);
    if (!a) return;
    try {
      await api.del(`/attachments/${a.id}`);
      notify(translate('app.attachments.deleted', { name: a.filename }), { type: 'info' });
      refresh(caseRef);
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    }
  };

  if (isPending) return <CircularProgress size={24} />;
  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  const rows = data ?? [];
  return (
    <Stack spacing={1.5} data-testid="case-attachments">
      {rows.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('app.attachments.none')}
        </Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('app.attachments.filename')}</TableCell>
              <TableCell>{translate('app.attachments.purpose')}</TableCell>
              <TableCell>{translate('app.attachments.size')}</TableCell>
              <TableCell>{translate('app.attachments.uploaded_at')}</TableCell>
              <TableCell align="right" />
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((a) => (
              <TableRow key={a.id}>
                <TableCell sx={{ wordBreak: 'break-all' }}>{a.filename}</TableCell>
                <TableCell>{labelOf(a.purpose)}</TableCell>
                <TableCell>{formatBytes(a.size)}</TableCell>
                <TableCell>{formatDateTime(a.createdAt)}</TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  <Tooltip title={translate('app.common.download')}>
                    <IconButton
                      size="small"
                      aria-label={`${translate('app.common.download')} ${a.filename}`}
                      onClick={() => void api.download(`/attachments/${a.id}/download`, a.filename).catch((e) => notify(errorMessage(e), { type: 'error' }))}
                    >
                      <DownloadIcon fontSize="small" />
                    </IconButton>
                  </Tooltip>
                  {canDelete(a, summary, def, me) && (
                    <Tooltip title={translate('app.common.delete')}>
                      <IconButton size="small" aria-label={`${translate('app.common.delete')} ${a.filename}`} onClick={() => setDeleting(a)}>
                        <DeleteOutlineIcon fontSize="small" />
                      </IconButton>
                    </Tooltip>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {allowed && (
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
          <TextField
            select
            size="small"
            label={translate('app.attachments.purpose')}
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
            sx={{ minWidth: 240 }}
          >
            {options.map((o) => (
              <MenuItem key={o.purpose} value={o.purpose} data-required={required.has(o.purpose) || undefined}>
                {o.label}
                {required.has(o.purpose) && (
                  <Typography component="span" variant="caption" color={missing.has(o.purpose) ? 'error' : 'success.main'} sx={{ ml: 1 }}>
                    （{translate(missing.has(o.purpose) ? 'app.attachments.required_missing' : 'app.attachments.required_done')}）
                  </Typography>
                )}
              </MenuItem>
            ))}
          </TextField>
          <Button
            variant="outlined"
            component="label"
            startIcon={busy ? <CircularProgress size={16} /> : <UploadFileIcon />}
            disabled={busy}
            sx={{ flexShrink: 0, whiteSpace: 'nowrap' }}
          >
            {translate('app.attachments.upload')}
            <input ref={input} hidden type="file" accept={ACCEPTED_FILES} onChange={(e) => void onFile(e.target.files?.[0])} />
          </Button>
          <Typography variant="caption" color="text.secondary">
            {translate('app.attachments.types_hint')}
          </Typography>
        </Stack>
      )}
      <Confirm
        isOpen={!!deleting}
        title={translate('app.attachments.delete_title')}
        content={translate('app.attachments.delete_content', { name: deleting?.filename ?? '' })}
        onConfirm={() => void remove()}
        onClose={() => setDeleting(null)}
        confirm="app.common.ok"
        cancel="app.common.cancel"
      />
    </Stack>
  );
}
