import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import EditIcon from '@mui/icons-material/Edit';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { DocumentDto, PracticeRecordDto } from '@portal/contracts';
import { useState } from 'react';
import { Form, Loading, SaveButton, ShowBase, Title, useNavigate, useNotify, useRefresh, useShowContext, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { useMe } from '../../common/useMe';
import { CaseHeader } from '../../workflow/CaseHeader';
import { CaseSections } from '../../workflow/CaseSections';
import { useCase, useDefinition, useRefreshCase } from '../../workflow/hooks';
import { stateOf } from '../../workflow/stages';
import { DocumentDownloadButton } from '../documents/DocumentButtons';
import { PRACTICE_WORKFLOW_KEY } from './keys';
import { RecordFields } from './RecordForm';
import { Facts, formChoices, Section } from './shared';

const PURPOSES = [
  { purpose: 'practice_evidence', label: '实践佐证材料' },
  { purpose: 'review_opinion', label: '审核意见附件' },
];

/** The host's confirmation: the hours it confirms (at most the hours claimed), drawn from the case's allowed action `confirm`. */
function ConfirmHours({ record, label, onDone }: { record: PracticeRecordDto; label: string; onDone: () => void }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const [open, setOpen] = useState(false);
  const [hours, setHours] = useState(String(record.hours));
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    try {
      await api.post(`/practice-records/${record.id}/actions`, {
        action: 'confirm',
        version: record.case.version,
        data: { hours: Number(hours), ...(note.trim() ? { note: note.trim() } : {}) },
      });
      setOpen(false);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <>
      <Button variant="contained" color="success" onClick={() => setOpen(true)} data-action="confirm">
        {label}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs">
        <DialogTitle>{label}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField
              label={translate('resources.practice-records.fields.hours')}
              type="number"
              value={hours}
              onChange={(e) => setHours(e.target.value)}
              helperText={translate('app.practice.confirm_hours_help', { max: record.claimedHours })}
              slotProps={{ htmlInput: { min: 1, max: record.claimedHours, 'data-testid': 'confirm-hours' } }}
            />
            <TextField label={translate('app.practice.note')} value={note} onChange={(e) => setNote(e.target.value)} multiline minRows={2} />
            {error && <Alert severity="error">{error}</Alert>}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('app.common.cancel')}</Button>
          <Button variant="contained" onClick={() => void submit()} data-testid="confirm-submit">
            {translate('app.common.ok')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** The teacher corrects the record while it is theirs to edit (the version they saw; a stale one is refused). */
function EditRecord({ record, onDone }: { record: PracticeRecordDto; onDone: () => void }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const save = async (values: Record<string, unknown>) => {
    const invited = values.hostKind === 'invited';
    const body: Record<string, unknown> = {
      dataVersion: record.dataVersion,
      startDate: values.startDate,
      endDate: values.endDate,
      hours: Number(values.hours),
      form: values.form,
      content: values.content,
      ...(values.outcomes ? { outcomes: values.outcomes } : {}),
      ...(values.postId ? { postId: values.postId } : {}),
      ...(invited ? { hostCreditCode: values.hostCreditCode, hostEmail: values.hostEmail } : { hostOrgId: values.hostOrgId }),
    };
    try {
      await api.put(`/practice-records/${record.id}`, body);
      notify(translate('app.practice.saved'), { type: 'success' });
      setOpen(false);
      onDone();
    } catch (e) {
      notify(errorMessage(e), { type: 'warning' });
    }
  };
  return (
    <>
      <Button size="small" variant="outlined" startIcon={<EditIcon />} onClick={() => setOpen(true)} data-testid="edit-record">
        {translate('app.practice.edit')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="md">
        <DialogTitle>{translate('app.practice.edit')}</DialogTitle>
        <Form
          record={{ ...record, hostKind: record.hostOrgId === null ? 'invited' : 'registered', hostCreditCode: record.hostInvitedCreditCode }}
          onSubmit={(v: Record<string, unknown>) => void save(v)}
          resource="practice-records"
        >
          <DialogContent>
            <RecordFields />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>{translate('app.common.cancel')}</Button>
            <SaveButton label={translate('app.practice.save')} alwaysEnable />
          </DialogActions>
        </Form>
      </Dialog>
    </>
  );
}

function Certificate({ record }: { record: PracticeRecordDto }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const { data } = useQuery({
    queryKey: ['documents', record.certificateId],
    queryFn: () => api.get<DocumentDto>(`/documents/${record.certificateId}`),
    enabled: record.certificateId !== null,
  });
  if (!record.counted) return null;
  return (
    <Section title={translate('app.practice.certificate')}>
      {data ? (
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
          <span>{data.serial}</span>
          <DocumentDownloadButton doc={data} label={translate('app.practice.download')} />
        </Stack>
      ) : (
        <Alert severity="info">{translate('app.practice.certificate_pending')}</Alert>
      )}
    </Section>
  );
}

function RecordView() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const refresh = useRefresh();
  const client = useQueryClient();
  const refreshCase = useRefreshCase();
  const { me } = useMe();
  const { record, isPending, error } = useShowContext<PracticeRecordDto>();
  const { data: def } = useDefinition(PRACTICE_WORKFLOW_KEY);
  const { data: summary } = useCase(record?.caseRef, record?.case);
  if (isPending) return <Loading />;
  if (error || !record)
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {errorMessage(error)}
      </Alert>
    );
  const r = record;
  const kind = stateOf(def, summary?.state ?? r.case.state)?.kind;
  const mine = me?.id === r.teacherId;
  const confirm = summary?.allowedActions?.find((a) => a.action === 'confirm');
  const onDone = () => {
    refresh();
    refreshCase(r.caseRef);
    void client.invalidateQueries({ queryKey: ['practice-records'] });
  };
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={`${translate('app.practice.record')}：${r.teacherName}`} />
      <Box>
        <Button size="small" startIcon={<ArrowBackIcon />} onClick={() => navigate(-1)}>
          {translate('app.common.back')}
        </Button>
      </Box>
      <CaseHeader
        caseRef={r.caseRef}
        workflowKey={PRACTICE_WORKFLOW_KEY}
        initial={r.case}
        onDone={onDone}
        excludeActions={['confirm']}
        aside={
          <Stack direction="row" spacing={1}>
            {confirm && <ConfirmHours record={r} label={confirm.label} onDone={onDone} />}
            {mine && kind === 'applicant' && <EditRecord record={r} onDone={onDone} />}
          </Stack>
        }
      />
      <Section title={translate('app.practice.details')}>
        <Facts
          rows={[
            [translate('resources.practice-records.fields.teacherName'), `${r.teacherName}（${r.schoolName}）`],
            [translate('resources.practice-records.fields.hostName'), r.hostName ?? r.hostInvitedCreditCode ?? '—'],
            [translate('resources.practice-records.fields.period'), `${r.startDate} 至 ${r.endDate}`],
            [translate('resources.practice-records.fields.form'), formChoices.find((f) => f.id === r.form)?.name ?? r.form],
            [
              translate('resources.practice-records.fields.hours'),
              r.hours === r.claimedHours ? String(r.hours) : `${r.hours}（${translate('resources.practice-records.fields.claimedHours')} ${r.claimedHours}）`,
            ],
            [translate('resources.practice-records.fields.content'), r.content],
            [translate('resources.practice-records.fields.outcomes'), r.outcomes || '—'],
          ]}
        />
      </Section>
      <Certificate record={r} />
      <CaseSections caseRef={r.caseRef} workflowKey={PRACTICE_WORKFLOW_KEY} purposes={PURPOSES} />
    </Stack>
  );
}

/** A practice record: its facts, the case's actions (the host's confirmation with its hours), history, files, certificate. */
export function RecordShow() {
  return (
    <ShowBase resource="practice-records">
      <RecordView />
    </ShowBase>
  );
}
