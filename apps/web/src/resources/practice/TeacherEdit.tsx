import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Button, Stack, Typography } from '@mui/material';
import type { TeacherDto } from '@portal/contracts';
import { useState } from 'react';
import {
  BooleanInput,
  DateInput,
  Edit,
  SelectInput,
  SimpleForm,
  TextInput,
  required,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { employmentChoices } from './shared';

/** The 双师型 evidence: its file's name, a download, and an upload that replaces it (PDF, JPG or PNG). */
function DualEvidence() {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const refresh = useRefresh();
  const teacher = useRecordContext<TeacherDto>();
  const [busy, setBusy] = useState(false);
  if (!teacher) return null;
  const upload = async (file: File) => {
    setBusy(true);
    try {
      const body = new FormData();
      body.append('file', file, file.name);
      await api.post(`/teachers/${teacher.id}/dual-evidence`, body);
      refresh();
    } catch (e) {
      notify(errorMessage(e), { type: 'warning' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2 }}>
      <Typography variant="body2">
        {translate('app.practice.dual_evidence')}：{teacher.dualEvidenceName ?? translate('app.practice.none')}
      </Typography>
      {teacher.dualEvidenceName && (
        <Button size="small" onClick={() => void api.download(`/teachers/${teacher.id}/dual-evidence`, teacher.dualEvidenceName ?? undefined)}>
          {translate('app.practice.download')}
        </Button>
      )}
      <Button size="small" variant="outlined" component="label" startIcon={<UploadFileIcon />} disabled={busy}>
        {translate('app.practice.upload_evidence')}
        <input hidden type="file" accept=".pdf,.jpg,.jpeg,.png" onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])} />
      </Button>
    </Stack>
  );
}

/** The school edits a teacher's profile (专业, 专任/兼职, 双师型 and its evidence); the account is the users page's. */
export function TeacherEdit() {
  return (
    <Edit resource="teachers" mutationMode="pessimistic" redirect="list">
      <SimpleForm>
        <DualEvidence />
        <TextInput source="displayName" disabled />
        <TextInput source="major" validate={required()} />
        <SelectInput source="employment" choices={employmentChoices} translateChoice={false} validate={required()} />
        <BooleanInput source="dualQualified" />
        <DateInput source="dualQualifiedOn" />
      </SimpleForm>
    </Edit>
  );
}
