import { Alert, Box, Card, CardContent, Chip, CircularProgress, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { CERTIFICATION_LEVELS, type CertificationDto } from '@portal/contracts';
import { List, Title, useTranslate } from 'react-admin';
import { errorMessage, listPath, usePortalApi } from '../../common/api';
import { formatDate } from '../../common/format';
import { useMe } from '../../common/useMe';
import { hasRole } from '../../providers/access';
import { DocumentTable } from './DocumentList';

const STATUS_COLOUR = { active: 'success', expired: 'default', revoked: 'error' } as const;

/** 我的证书与文件 (enterprise): its certifications at every level, then every document issued to it, with downloads. */
export function MyCertificatesPage() {
  const translate = useTranslate();
  const api = usePortalApi();
  // certifications are an enterprise's: a teacher or a school reaching this page sees its documents only
  const { roles } = useMe();
  const enterprise = hasRole(roles, 'enterprise_applicant');
  const certs = useQuery({
    enabled: enterprise,
    queryKey: ['certifications', 'mine'],
    queryFn: () => api.get<CertificationDto[]>(listPath('certifications', { sort: ['id', 'DESC'], range: [0, 49] })),
  });
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={translate('app.menu.my_certificates')} />
      {enterprise && (
        <Card>
          <CardContent>
            <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', mb: 1.5 }}>
              {translate('app.my_certificates.certifications')}
            </Typography>
            {certs.isPending ? (
              <CircularProgress size={20} />
            ) : certs.error ? (
              <Alert severity="error">{errorMessage(certs.error)}</Alert>
            ) : (certs.data ?? []).length === 0 ? (
              <Typography variant="body2" color="text.secondary">
                {translate('app.my_certificates.none')}
              </Typography>
            ) : (
              <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'repeat(3, 1fr)' }, gap: 1.5 }}>
                {(certs.data ?? []).map((c) => (
                  <Box
                    key={c.id}
                    sx={{
                      border: 1,
                      borderColor: 'divider',
                      borderRadius: 1,
                      p: 1.5,
                      borderLeft: 4,
                      borderLeftColor: c.status === 'active' ? 'success.main' : 'grey.400',
                    }}
                  >
                    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                      <Typography variant="subtitle1" sx={{ fontWeight: 600, flex: 1 }}>
                        {CERTIFICATION_LEVELS[c.level].label}产教融合型企业
                      </Typography>
                      <Chip size="small" color={STATUS_COLOUR[c.status]} label={translate(`app.certifications.status.${c.status}`)} />
                    </Stack>
                    <Typography variant="body2" color="text.secondary">
                      {translate('resources.certifications.fields.certifiedAt')} {formatDate(c.certifiedAt)}
                      {c.validUntil ? ` · ${translate('resources.certifications.fields.validUntil')} ${formatDate(c.validUntil)}` : ''}
                    </Typography>
                    {c.documentNo && (
                      <Typography variant="body2" color="text.secondary">
                        {translate('resources.certifications.fields.documentNo')} {c.documentNo}
                      </Typography>
                    )}
                    {c.revokeReason && (
                      <Alert severity="error" sx={{ mt: 1 }}>
                        {c.revokeReason}
                      </Alert>
                    )}
                  </Box>
                ))}
              </Box>
            )}
          </CardContent>
        </Card>
      )}
      <Box>
        <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', mb: 1 }}>
          {translate('app.my_certificates.documents')}
        </Typography>
        <List
          resource="documents"
          disableSyncWithLocation
          sort={{ field: 'id', order: 'DESC' }}
          perPage={25}
          exporter={false}
          actions={false}
          title={false}
          storeKey="my-documents"
        >
          <DocumentTable />
        </List>
      </Box>
    </Stack>
  );
}
