import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import DescriptionIcon from '@mui/icons-material/Description';
import { Alert, Box, Button, CircularProgress, Stack } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { CaseSummaryDto, CertificationApplicationDto } from '@portal/contracts';
import { useState } from 'react';
import { Loading, Title, useNavigate, useNotify, useParams, useTranslate } from 'react-admin';
import { errorMessage, listPath, usePortalApi, type PortalApi } from '../common/api';
import { CaseHeader } from './CaseHeader';
import { CaseSections } from './CaseSections';
import { casePath, useCase, useDefinitions } from './hooks';

/** The resource that holds a workflow's cases, and how to find the record of a case. */
const RECORD_OF: Record<string, { resource: string }> = {
  certification: { resource: 'certification-applications' },
  'certification-record': { resource: 'certification-records' },
  'practice-record': { resource: 'practice-records' },
  'order-class': { resource: 'order-classes' },
};

/** The record (application, filing) behind a case: its resource's list filtered by the case id. */
export async function findRecordOfCase(api: PortalApi, summary: Pick<CaseSummaryDto, 'caseId' | 'workflowKey'>): Promise<string | null> {
  const target = RECORD_OF[summary.workflowKey];
  if (!target) return null;
  const rows = await api.get<Array<Pick<CertificationApplicationDto, 'id'>>>(
    listPath(target.resource, { filter: { caseId: summary.caseId }, sort: ['id', 'DESC'], range: [0, 0] }),
  );
  return rows[0] ? `/${target.resource}/${rows[0].id}/show` : null;
}

/** Open the record page of a case (application show page), else the generic case page. */
export function useOpenCase() {
  const api = usePortalApi();
  const navigate = useNavigate();
  const notify = useNotify();
  return async (ref: string) => {
    const [workflowKey] = ref.split(':');
    if (workflowKey && RECORD_OF[workflowKey]) {
      try {
        const summary = await api.get<CaseSummaryDto>(casePath(ref));
        const path = await findRecordOfCase(api, summary);
        if (path) return navigate(path);
      } catch (e) {
        notify(errorMessage(e), { type: 'warning' });
      }
    }
    navigate(casePath(ref));
  };
}

/** A bare case id (from a notification): find its workflow by asking for it under each key, then open it. */
function ResolveCaseId({ id }: { id: string }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const navigate = useNavigate();
  const { data: defs } = useDefinitions();
  const { error } = useQuery({
    queryKey: ['resolve-case', id, defs?.map((d) => d.key).join(',')],
    enabled: !!defs,
    retry: false,
    queryFn: async () => {
      for (const d of defs ?? []) {
        const ref = `${d.key}:${id}`;
        let summary: CaseSummaryDto;
        try {
          summary = await api.get<CaseSummaryDto>(casePath(ref));
        } catch {
          continue; // not this workflow's case, or not readable: try the next
        }
        // the record's own page (an application) when there is one, else the generic case page
        const recordPath = await findRecordOfCase(api, summary).catch(() => null);
        navigate(recordPath ?? casePath(ref), { replace: true });
        return ref;
      }
      throw new Error(translate('app.case.not_found'));
    },
  });
  return error ? <Alert severity="warning">{errorMessage(error)}</Alert> : <Loading />;
}

/** `/cases/:ref`: any case of any workflow, with its actions, history, attachments, changes, objections and diagram. */
export function CasePage() {
  const { ref: raw = '' } = useParams<{ ref: string }>();
  const ref = decodeURIComponent(raw);
  if (/^\d+$/.test(ref)) return <ResolveCaseId id={ref} />;
  return <CaseView caseRef={ref} />;
}

function CaseView({ caseRef }: { caseRef: string }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const navigate = useNavigate();
  const { data: summary, isPending, error } = useCase(caseRef);
  const [opening, setOpening] = useState(false);
  if (isPending) return <Loading />;
  if (error || !summary)
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {errorMessage(error, translate('app.case.not_found'))}
      </Alert>
    );
  const record = RECORD_OF[summary.workflowKey];
  const openRecord = async () => {
    setOpening(true);
    try {
      const path = await findRecordOfCase(api, summary);
      if (path) navigate(path);
    } finally {
      setOpening(false);
    }
  };
  return (
    <Box sx={{ mt: 2, mb: 4 }}>
      <Title title={summary.title} />
      <Stack spacing={2}>
        <Box>
          <Button size="small" startIcon={<ArrowBackIcon />} onClick={() => navigate(-1)}>
            {translate('app.common.back')}
          </Button>
        </Box>
        <CaseHeader
          caseRef={caseRef}
          workflowKey={summary.workflowKey}
          aside={
            record ? (
              <Button
                size="small"
                variant="outlined"
                startIcon={opening ? <CircularProgress size={14} /> : <DescriptionIcon />}
                onClick={() => void openRecord()}
                disabled={opening}
              >
                {translate('app.case.open_record')}
              </Button>
            ) : null
          }
        />
        <CaseSections caseRef={caseRef} workflowKey={summary.workflowKey} />
      </Stack>
    </Box>
  );
}
