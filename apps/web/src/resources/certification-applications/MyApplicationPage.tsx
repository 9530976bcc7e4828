import AssignmentIcon from '@mui/icons-material/Assignment';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Stack, Typography } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CertificationApplicationDto } from '@portal/contracts';
import { useState } from 'react';
import { Loading, Title, useNotify, useTranslate } from 'react-admin';
import { errorMessage, listPath, usePortalApi } from '../../common/api';
import { CaseHeader } from '../../workflow/CaseHeader';
import { CaseSections } from '../../workflow/CaseSections';
import { refreshCase, useCase, useDefinition } from '../../workflow/hooks';
import { stateOf } from '../../workflow/stages';
import { ApplicationDetails, EnterpriseFacts } from './ApplicationDetails';
import { type SaveStatus } from '../../common/useAutosave';
import { ApplicationForm } from './ApplicationForm';
import { AttachmentChecklist } from './AttachmentChecklist';
import { EligibilityPanel } from './EligibilityPanel';
import { IssuedDocuments } from './IssuedDocuments';
import { Section } from './shared';

const MINE_KEY = ['certification-applications', 'mine'] as const;

/**
 * 认定申报 (the enterprise's page): opens the application in progress, or starts one (POST answers the
 * open one rather than making a second). While it is the enterprise's to edit, the form saves itself;
 * the page says where the application stands, what to fix when returned, and offers the certificate.
 */
export function MyApplicationPage() {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const client = useQueryClient();
  const { data: def } = useDefinition('certification');
  const [starting, setStarting] = useState(false);
  const mine = useQuery({
    queryKey: MINE_KEY,
    queryFn: () => api.get<CertificationApplicationDto[]>(listPath('certification-applications', { sort: ['id', 'DESC'], range: [0, 9] })),
  });

  const start = async () => {
    setStarting(true);
    try {
      const app = await api.post<CertificationApplicationDto>('/certification-applications', {});
      client.setQueryData<CertificationApplicationDto[]>(MINE_KEY, (old) => [app, ...(old ?? []).filter((a) => a.id !== app.id)]);
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    } finally {
      setStarting(false);
    }
  };

  if (mine.isPending || !def) return <Loading />;
  if (mine.error)
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {errorMessage(mine.error)}
      </Alert>
    );
  const list = mine.data ?? [];
  const open = list.find((a) => stateOf(def, a.case.state)?.kind !== 'final');
  const current = open ?? list[0];

  return (
    <Box sx={{ mt: 2, mb: 4 }}>
      <Title title={translate('app.menu.my_application')} />
      {!current ? (
        <Card>
          <CardContent>
            <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
              <Typography variant="h6" component="h1">
                {translate('app.cert.start_title')}
              </Typography>
              <Typography variant="body2" color="text.secondary" sx={{ lineHeight: 1.9 }}>
                {translate('app.cert.start_intro')}
              </Typography>
              <Button
                variant="contained"
                size="large"
                startIcon={starting ? <CircularProgress size={18} color="inherit" /> : <AssignmentIcon />}
                onClick={() => void start()}
                disabled={starting}
              >
                {translate('app.cert.start')}
              </Button>
            </Stack>
          </CardContent>
        </Card>
      ) : (
        <ApplicationWorkspace key={current.id} app={current} onStartNew={!open ? () => void start() : undefined} starting={starting} />
      )}
    </Box>
  );
}

function ApplicationWorkspace({ app: initialApp, onStartNew, starting }: { app: CertificationApplicationDto; onStartNew?: () => void; starting: boolean }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const client = useQueryClient();
  const { data: def } = useDefinition('certification');
  const appQuery = useQuery({
    queryKey: ['certification-applications', 'workspace', initialApp.id],
    queryFn: () => api.get<CertificationApplicationDto>(`/certification-applications/${initialApp.id}`),
    // the list's row shows at once, but it is light: the detail (fetched on mount) adds the linked evidence and the full case
    placeholderData: initialApp,
    staleTime: 2_000,
  });
  const app = appQuery.data ?? initialApp;
  const { data: summary } = useCase(app.caseRef, app.case);
  const [saveStatus, setSaveStatus] = useState<SaveStatus>('saved');
  const kind = stateOf(def, summary?.state ?? app.case.state)?.kind;
  const editable = kind === 'applicant';
  const certified = summary?.state === 'certified';

  const onSaved = () => refreshCase(client, app.caseRef);
  const onDone = () => {
    void client.invalidateQueries({ queryKey: ['certification-applications'] });
  };

  return (
    <Stack spacing={2}>
      <CaseHeader
        caseRef={app.caseRef}
        workflowKey="certification"
        initial={app.case}
        onDone={onDone}
        actionsDisabledReason={editable && saveStatus !== 'saved' ? translate('app.cert.wait_for_save') : undefined}
        aside={
          onStartNew && !certified ? (
            <Button variant="outlined" size="small" onClick={onStartNew} disabled={starting}>
              {translate('app.cert.start_new')}
            </Button>
          ) : null
        }
      >
        {editable && summary && !summary.allowedActions.some((a) => a.kind === 'submit') ? (
          <Typography variant="body2" color="text.secondary" data-testid="submit-hint">
            {translate(summary.openReturn ? 'app.cert.resubmit_hint' : 'app.cert.submit_hint')}
          </Typography>
        ) : null}
      </CaseHeader>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 2fr) minmax(320px, 1fr)' }, gap: 2, alignItems: 'start' }}>
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          <Section title={translate('app.cert.enterprise')}>
            <EnterpriseFacts app={app} />
          </Section>
          <Section title={translate('app.cert.content')}>
            {editable ? <ApplicationForm app={app} onSaved={onSaved} onStatus={setSaveStatus} /> : <ApplicationDetails app={app} />}
          </Section>
          <Section title={translate('app.cert.materials')}>
            <AttachmentChecklist caseRef={app.caseRef} />
          </Section>
        </Stack>
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          {kind !== 'final' && (
            <Section title={translate('app.cert.eligibility')}>
              <EligibilityPanel applicationId={app.id} caseRef={app.caseRef} />
            </Section>
          )}
          {(certified || kind === 'final') && (
            <Section title={translate('app.cert.documents')}>
              <IssuedDocuments caseId={app.case.caseId} includeSubsidyNotices />
            </Section>
          )}
        </Stack>
      </Box>
      <CaseSections caseRef={app.caseRef} workflowKey="certification" hideAttachments />
    </Stack>
  );
}
