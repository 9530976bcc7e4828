import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import EditIcon from '@mui/icons-material/Edit';
import { Alert, Box, Button, Stack } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import type { CertificationApplicationDto } from '@portal/contracts';
import { Loading, ShowBase, Title, useNavigate, useShowContext, useTranslate } from 'react-admin';
import { errorMessage } from '../../common/api';
import { useMe } from '../../common/useMe';
import { CaseHeader } from '../../workflow/CaseHeader';
import { CaseSections } from '../../workflow/CaseSections';
import { useCase, useDefinition } from '../../workflow/hooks';
import { stateOf } from '../../workflow/stages';
import { ApplicationDetails, EnterpriseFacts } from './ApplicationDetails';
import { AttachmentChecklist } from './AttachmentChecklist';
import { EligibilityPanel } from './EligibilityPanel';
import { IssuedDocuments } from './IssuedDocuments';
import { Section } from './shared';

const REVIEW_PURPOSES = [
  { purpose: 'review_opinion', label: '审核意见附件' },
  { purpose: 'supplement', label: '补正材料' },
];

function ApplicationView() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { me } = useMe();
  const { record, isPending, error } = useShowContext<CertificationApplicationDto>();
  const { data: def } = useDefinition('certification');
  const { data: summary } = useCase(record?.caseRef, record?.case);
  if (isPending) return <Loading />;
  if (error || !record)
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {errorMessage(error)}
      </Alert>
    );
  const app = record;
  const kind = stateOf(def, summary?.state ?? app.case.state)?.kind;
  const isOwner = me?.organisationId === app.enterpriseId;
  const onDone = () => void client.invalidateQueries({ queryKey: ['certification-applications'] });
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={`${app.enterpriseName}（${app.year}年度）`} />
      <Box>
        <Button size="small" startIcon={<ArrowBackIcon />} onClick={() => navigate(-1)}>
          {translate('app.common.back')}
        </Button>
      </Box>
      <CaseHeader
        caseRef={app.caseRef}
        workflowKey="certification"
        initial={app.case}
        onDone={onDone}
        aside={
          isOwner && kind === 'applicant' ? (
            <Button size="small" variant="contained" startIcon={<EditIcon />} onClick={() => navigate('/my-application')}>
              {translate('app.cert.go_edit')}
            </Button>
          ) : null
        }
      />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 2fr) minmax(320px, 1fr)' }, gap: 2, alignItems: 'start' }}>
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          <Section title={translate('app.cert.enterprise')}>
            <EnterpriseFacts app={app} />
          </Section>
          <Section title={translate('app.cert.content')}>
            <ApplicationDetails app={app} />
          </Section>
          <Section title={translate('app.cert.materials')}>
            <AttachmentChecklist caseRef={app.caseRef} readOnly={!isOwner} />
          </Section>
        </Stack>
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          {kind !== 'final' && (
            <Section title={translate('app.cert.eligibility')}>
              <EligibilityPanel applicationId={app.id} caseRef={app.caseRef} />
            </Section>
          )}
          {kind === 'final' && (
            <Section title={translate('app.cert.documents')}>
              <IssuedDocuments caseId={app.case.caseId} />
            </Section>
          )}
        </Stack>
      </Box>
      <CaseSections caseRef={app.caseRef} workflowKey="certification" purposes={REVIEW_PURPOSES} />
    </Stack>
  );
}

/** An application for reviewers (and the enterprise, read-only): its content, the pre-check, the case's actions and record. */
export function ApplicationShow() {
  return (
    <ShowBase>
      <ApplicationView />
    </ShowBase>
  );
}
