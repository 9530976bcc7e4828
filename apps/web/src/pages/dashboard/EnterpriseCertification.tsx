import AssignmentIcon from '@mui/icons-material/Assignment';
import { Alert, Box, Button, Card, CardContent, Chip, Stack, Typography } from '@mui/material';
import { CERTIFICATION_LEVELS, type CertificationApplicationDto, type CertificationDto } from '@portal/contracts';
import { Link, Loading, useGetList, useNavigate, useTranslate } from 'react-admin';
import { errorMessage } from '../../common/api';
import { formatDate } from '../../common/format';
import { useDefinition } from '../../workflow/hooks';
import { StageChip } from '../../workflow/StageChip';

/** Certifications shown on the home page (an enterprise holds a few at most); all of them under 我的证书与文件. */
const SHOWN = 4;
const STATUS_COLOUR = { active: 'success', expired: 'default', revoked: 'error' } as const;
/** The enterprise's own application page: it opens the application in progress, or starts one. */
const MY_APPLICATION = '/my-application';
const MY_CERTIFICATES = '/my-certificates';

function Certification({ c }: { c: CertificationDto }) {
  const translate = useTranslate();
  return (
    <Box
      data-testid={`enterprise-certification-${c.id}`}
      sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5, borderLeft: 4, borderLeftColor: c.status === 'active' ? 'success.main' : 'grey.400' }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="subtitle1" sx={{ fontWeight: 600, flex: 1 }}>
          {translate('app.reporting.enterprise_cert_level', { level: CERTIFICATION_LEVELS[c.level]?.label ?? '' })}
        </Typography>
        <Chip size="small" color={STATUS_COLOUR[c.status]} label={translate(`app.certifications.status.${c.status}`)} />
      </Stack>
      <Typography variant="body2" color="text.secondary">
        {translate('app.reporting.enterprise_cert_certified_at', { date: formatDate(c.certifiedAt) })}
        {c.validUntil && ` · ${translate('app.reporting.enterprise_cert_valid_until', { date: formatDate(c.validUntil) })}`}
      </Typography>
      {c.documentNo && (
        <Typography variant="body2" color="text.secondary">
          {translate('app.reporting.enterprise_cert_document_no', { no: c.documentNo })}
        </Typography>
      )}
      {c.revokeReason && (
        <Typography variant="body2" color="error" sx={{ mt: 0.5 }}>
          {c.revokeReason}
        </Typography>
      )}
    </Box>
  );
}

/** The application in progress: its year, its stage in words, its deadline (补正 or the reviewers'), a link to it. */
function ApplicationInProgress({ app }: { app: CertificationApplicationDto }) {
  const translate = useTranslate();
  const navigate = useNavigate();
  const { data: def } = useDefinition('certification');
  const returned = app.case.openReturn;
  // the reviewers' deadline for the stage, past: the applicant may ask after it
  const late = !!app.case.stageDueAt && new Date(app.case.stageDueAt).getTime() < Date.now();
  return (
    <Stack
      direction={{ xs: 'column', sm: 'row' }}
      spacing={1.5}
      sx={{ alignItems: { sm: 'center' }, p: 1.5, borderRadius: 1, bgcolor: 'rgba(26,79,156,0.05)' }}
      data-testid="enterprise-certification-application"
    >
      <Stack spacing={0.5} sx={{ flex: 1 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Typography variant="subtitle2">{translate('app.reporting.enterprise_cert_application', { year: app.year })}</Typography>
          <StageChip summary={app.case} def={def} />
        </Stack>
        {returned?.deadline ? (
          <Typography variant="body2" color="warning.main">
            {translate('app.reporting.enterprise_cert_return_deadline', { date: formatDate(returned.deadline) })}
          </Typography>
        ) : app.case.stageDueAt ? (
          <Typography variant="body2" color={late ? 'warning.main' : 'text.secondary'}>
            {translate('app.reporting.pending_due', { date: formatDate(app.case.stageDueAt) })}
            {late && ` · ${translate('app.reporting.overdue')}`}
          </Typography>
        ) : null}
      </Stack>
      <Button size="small" variant="outlined" onClick={() => navigate(MY_APPLICATION)} data-testid="enterprise-certification-open-application">
        {translate('app.reporting.enterprise_cert_open_application')}
      </Button>
    </Stack>
  );
}

/**
 * An enterprise applicant's certification on its home page (issue 12: "an enterprise its certification"): its
 * certifications (产教融合型企业 at each level: status 有效 / 已过期 / 已撤销, dates, document number), from the
 * `certifications` list the server scopes to the enterprise, with a link to its certificates; its application in
 * progress, if any (the `certification-applications` list at the workflow's stages that are not final), with its
 * stage and a link to it; with neither, a line and the way to start an application.
 */
export function EnterpriseCertification({ enterpriseId }: { enterpriseId: number }) {
  const translate = useTranslate();
  const navigate = useNavigate();
  const { data: def, error: defError } = useDefinition('certification');
  const certifications = useGetList<CertificationDto>('certifications', {
    filter: { enterpriseId },
    sort: { field: 'id', order: 'DESC' },
    pagination: { page: 1, perPage: SHOWN },
  });
  const openStates = (def?.states ?? []).filter((s) => s.kind !== 'final').map((s) => s.key);
  const applications = useGetList<CertificationApplicationDto>(
    'certification-applications',
    { filter: { enterpriseId, state: openStates }, sort: { field: 'id', order: 'DESC' }, pagination: { page: 1, perPage: 1 } },
    { enabled: openStates.length > 0 },
  );
  const error = certifications.error ?? applications.error ?? defError;
  const certs = certifications.data ?? [];
  const open = applications.data?.[0];
  return (
    <Card data-testid="enterprise-certification">
      <CardContent>
        <Typography variant="h6" sx={{ mb: 1 }}>
          {translate('app.reporting.enterprise_cert_title')}
        </Typography>
        {error ? (
          <Alert severity="warning">{errorMessage(error)}</Alert>
        ) : certifications.isPending || !def || applications.isPending ? (
          <Loading />
        ) : !certs.length && !open ? (
          <Stack spacing={1.5} sx={{ alignItems: 'flex-start' }} data-testid="enterprise-certification-none">
            <Typography variant="body2" color="text.secondary">
              {translate('app.reporting.enterprise_cert_none')}
            </Typography>
            <Button variant="contained" startIcon={<AssignmentIcon />} onClick={() => navigate(MY_APPLICATION)} data-testid="enterprise-certification-start">
              {translate('app.reporting.enterprise_cert_start')}
            </Button>
          </Stack>
        ) : (
          <Stack spacing={1.5}>
            {certs.length ? (
              <>
                <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'repeat(2, minmax(0, 1fr))', lg: 'repeat(3, minmax(0, 1fr))' }, gap: 1.5 }}>
                  {certs.map((c) => (
                    <Certification key={c.id} c={c} />
                  ))}
                </Box>
                <Box>
                  <Link to={MY_CERTIFICATES} data-testid="enterprise-certification-documents">
                    {translate('app.reporting.enterprise_cert_documents')}
                  </Link>
                </Box>
              </>
            ) : (
              <Typography variant="body2" color="text.secondary">
                {translate('app.reporting.enterprise_cert_none_yet')}
              </Typography>
            )}
            {open && <ApplicationInProgress app={open} />}
          </Stack>
        )}
      </CardContent>
    </Card>
  );
}
