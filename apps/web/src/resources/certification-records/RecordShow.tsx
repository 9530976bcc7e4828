import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { Alert, Box, Button, Card, CardContent, Stack, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { Loading, ShowBase, Title, useNavigate, useShowContext, useTranslate } from 'react-admin';
import { errorMessage } from '../../common/api';
import { CaseAttachments } from '../../workflow/CaseAttachments';
import { CaseHeader } from '../../workflow/CaseHeader';
import { CaseSections } from '../../workflow/CaseSections';
import { LevelChip } from '../certifications/CertificationList';
import type { RecordDto } from './types';

const PURPOSES = [{ purpose: 'published_list', label: '公布名单或认定文件' }];

function RecordView() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { record, isPending, error } = useShowContext<RecordDto>();
  if (isPending) return <Loading />;
  if (error || !record) return <Alert severity="error">{errorMessage(error)}</Alert>;
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={record.case.title} />
      <Box>
        <Button size="small" startIcon={<ArrowBackIcon />} onClick={() => navigate('/certification-records')}>
          {translate('app.common.back')}
        </Button>
      </Box>
      <CaseHeader
        caseRef={record.caseRef}
        workflowKey="certification-record"
        initial={record.case}
        onDone={() => void client.invalidateQueries({ queryKey: ['certification-records'] })}
      />
      <Card>
        <CardContent>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' }, gap: 2 }}>
            <Box>
              <Typography variant="caption" color="text.secondary">
                {translate('resources.certification-records.fields.enterpriseName')}
              </Typography>
              <Typography variant="body2">{record.enterpriseName}</Typography>
            </Box>
            <Box>
              <Typography variant="caption" color="text.secondary" component="div">
                {translate('resources.certification-records.fields.level')}
              </Typography>
              <LevelChip level={record.level} />
            </Box>
            <Box>
              <Typography variant="caption" color="text.secondary">
                {translate('resources.certification-records.fields.documentNo')}
              </Typography>
              <Typography variant="body2">{record.documentNo}</Typography>
            </Box>
            <Box>
              <Typography variant="caption" color="text.secondary">
                {translate('resources.certification-records.fields.certifiedAt')}
              </Typography>
              <Typography variant="body2">{record.certifiedAt}</Typography>
            </Box>
          </Box>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', mb: 1 }}>
            {translate('app.records.published_list')}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
            {translate('app.records.published_list_hint')}
          </Typography>
          <CaseAttachments caseRef={record.caseRef} workflowKey="certification-record" purposes={PURPOSES} />
        </CardContent>
      </Card>
      <CaseSections caseRef={record.caseRef} workflowKey="certification-record" hideAttachments />
    </Stack>
  );
}

export function RecordShow() {
  return (
    <ShowBase>
      <RecordView />
    </ShowBase>
  );
}
