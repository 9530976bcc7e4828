import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import DownloadIcon from '@mui/icons-material/Download';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Alert, Box, Button, Chip, CircularProgress, IconButton, Stack, Tooltip, Typography } from '@mui/material';
import { CERTIFICATION_CHECKLIST, REVIEW_ATTACHMENT_PURPOSE } from '@portal/contracts';
import { useState } from 'react';
import { Confirm, useNotify, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { formatBytes } from '../../common/format';
import { useMe } from '../../common/useMe';
import { ACCEPTED_FILES, canAttach, canDelete, purposeLabel, uploadAttachment } from '../../workflow/attachments';
import { useCase, useCaseAttachments, useDefinition, useRefreshCase, type AttachmentDto } from '../../workflow/hooks';

/** Upload into one checklist item; when the item already has a file the new one replaces it (the server decides). */
function UploadButton({ caseRef, purpose, label, replaces }: { caseRef: string; purpose: string; label: string; replaces: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const refresh = useRefreshCase();
  const [busy, setBusy] = useState(false);
  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    try {
      await uploadAttachment(api, caseRef, file, purpose);
      notify(translate('app.attachments.uploaded', { name: file.name }), { type: 'success' });
      refresh(caseRef);
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    } finally {
      setBusy(false);
      input.value = '';
    }
  };
  return (
    <Button
      size="small"
      variant="outlined"
      component="label"
      startIcon={busy ? <CircularProgress size={14} /> : <UploadFileIcon />}
      disabled={busy}
      title={replaces ? translate('app.attachments.replace_hint') : undefined}
      aria-label={`${translate(replaces ? 'app.attachments.replace' : 'app.attachments.upload')}：${label}`}
    >
      {translate(replaces ? 'app.attachments.replace' : 'app.attachments.upload')}
      <input hidden type="file" accept={ACCEPTED_FILES} onChange={(e) => void onFile(e.currentTarget)} />
    </Button>
  );
}

/** The application's required attachments (CERTIFICATION_CHECKLIST) one by one, each with its files and an upload. */
export function AttachmentChecklist({ caseRef, workflowKey = 'certification', readOnly }: { caseRef: string; workflowKey?: string; readOnly?: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const refresh = useRefreshCase();
  const { me } = useMe();
  const { data: summary } = useCase(caseRef);
  const { data: def } = useDefinition(workflowKey);
  const { data, isPending, error } = useCaseAttachments(caseRef);
  const [deleting, setDeleting] = useState<AttachmentDto | null>(null);
  const editable = !readOnly && canAttach(summary, def, me);
  if (isPending) return <CircularProgress size={24} />;
  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  const files = data ?? [];
  const known = new Set<string>(CERTIFICATION_CHECKLIST.map((c) => c.purpose));
  const rows = [
    ...CERTIFICATION_CHECKLIST.map((c) => ({ purpose: c.purpose, label: c.label, required: true })),
    { purpose: 'other', label: purposeLabel('other'), required: false },
  ];

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

  return (
    <Stack spacing={0} data-testid="attachment-checklist">
      {rows.map((row) => {
        // reviewers' opinions are theirs, not part of the applicant's materials
        const mine = files.filter((f) =>
          row.purpose === 'other' ? (!f.purpose || !known.has(f.purpose)) && f.purpose !== REVIEW_ATTACHMENT_PURPOSE : f.purpose === row.purpose,
        );
        const done = mine.length > 0;
        return (
          <Box
            key={row.purpose}
            data-purpose={row.purpose}
            sx={{ display: 'flex', gap: 1.5, py: 1.25, borderBottom: 1, borderColor: 'divider', alignItems: 'flex-start' }}
          >
            <Box sx={{ pt: 0.25 }}>
              {done ? (
                <CheckCircleIcon color="success" fontSize="small" />
              ) : (
                <RadioButtonUncheckedIcon color={row.required ? 'error' : 'disabled'} fontSize="small" />
              )}
            </Box>
            <Box sx={{ flex: 1, minWidth: 0 }}>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {row.label}
                </Typography>
                {row.required && !done && <Chip size="small" color="error" variant="outlined" label={translate('app.cert.required_missing')} />}
                {!row.required && <Chip size="small" variant="outlined" label={translate('app.cert.optional')} />}
              </Stack>
              {mine.map((f) => (
                <Stack key={f.id} direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
                  <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
                    {f.filename}
                  </Typography>
                  <Typography variant="caption" color="text.secondary">
                    （{formatBytes(f.size)}）
                  </Typography>
                  <Tooltip title={translate('app.common.download')}>
                    <IconButton
                      size="small"
                      aria-label={`${translate('app.common.download')} ${f.filename}`}
                      onClick={() => void api.download(`/attachments/${f.id}/download`, f.filename).catch((e) => notify(errorMessage(e), { type: 'error' }))}
                    >
                      <DownloadIcon fontSize="small" />
                    </IconButton>
                  </Tooltip>
                  {editable && canDelete(f, summary, def, me) && (
                    <Tooltip title={translate('app.common.delete')}>
                      <IconButton size="small" aria-label={`${translate('app.common.delete')} ${f.filename}`} onClick={() => setDeleting(f)}>
                        <DeleteOutlineIcon fontSize="small" />
                      </IconButton>
                    </Tooltip>
                  )}
                </Stack>
              ))}
            </Box>
            {editable && <UploadButton caseRef={caseRef} purpose={row.purpose} label={row.label} replaces={row.required && done} />}
          </Box>
        );
      })}
      {editable && (
        <Typography variant="caption" color="text.secondary" sx={{ pt: 1 }}>
          {translate('app.attachments.types_hint')}
        </Typography>
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
