import CheckBoxIcon from '@mui/icons-material/CheckBox';
import CheckBoxOutlineBlankIcon from '@mui/icons-material/CheckBoxOutlineBlank';
import { Box, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { countyName, EVIDENCE_TYPES, INDUSTRIES, type CertificationApplicationDto, type Declarations, type EvidenceItem } from '@portal/contracts';
import type { ReactNode } from 'react';
import { Link, useTranslate } from 'react-admin';
import { formatDateTime } from '../../common/format';

export const DECLARATION_KEYS: ReadonlyArray<keyof Declarations> = ['noMajorAccident', 'notDishonest', 'mainBusinessNotEducation'];

export const industryName = (code: string | null | undefined) => INDUSTRIES.find((i) => i.code === code)?.name ?? '—';

export const SOURCE_LABELS: Record<string, string> = { manual: '手工填报', order_class: '平台订单班', practice_record: '平台实践记录' };

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="body2" component="div">
        {children}
      </Typography>
    </Box>
  );
}

/** The enterprise and the year of an application, in a compact grid. */
export function EnterpriseFacts({ app }: { app: CertificationApplicationDto }) {
  const translate = useTranslate();
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' }, gap: 1.5 }}>
      <Field label={translate('resources.certification-applications.fields.enterpriseName')}>{app.enterpriseName}</Field>
      <Field label={translate('resources.certification-applications.fields.creditCode')}>
        <Box component="span" sx={{ fontFamily: 'monospace' }}>
          {app.creditCode}
        </Box>
      </Field>
      <Field label={translate('resources.certification-applications.fields.countyCode')}>{countyName(app.countyCode) ?? '—'}</Field>
      <Field label={translate('resources.certification-applications.fields.industry')}>{industryName(app.industry)}</Field>
      <Field label={translate('resources.certification-applications.fields.year')}>{app.year}</Field>
      <Field label={translate('resources.certification-applications.fields.createdAt')}>{formatDateTime(app.createdAt)}</Field>
      <Field label={translate('resources.certification-applications.fields.updatedAt')}>{formatDateTime(app.updatedAt)}</Field>
      <Field label={translate('app.cert.submissions')}>{app.case.submissions}</Field>
    </Box>
  );
}

/**
 * Evidence items, read-only, one row each: what, the school, the year, the figures, and where it came from (a
 * linked record's source opens it). The application's page lists all of them; the form lists the linked ones.
 */
export function EvidenceTable({ items, testId }: { items: readonly EvidenceItem[]; testId?: string }) {
  const translate = useTranslate();
  // linked records never carry an amount: a column of dashes would only squeeze the description
  const amounts = items.some((e) => e.amountYuan !== undefined && e.amountYuan !== null);
  return (
    <Box sx={{ overflowX: 'auto' }} data-testid={testId}>
      {/* in the case page's narrow column: headings and numbers on one line, the source under the type (a column of its
          own was squeezed to a character a line, or pushed out of sight), the school and the description wrap */}
      <Table size="small" data-testid="evidence-table" sx={{ '& th, & td': { px: 1 }, '& th:first-of-type, & td:first-of-type': { pl: 0 } }}>
        <TableHead sx={{ '& th': { whiteSpace: 'nowrap' } }}>
          <TableRow>
            <TableCell>#</TableCell>
            <TableCell>{translate('app.cert.evidence_type')}</TableCell>
            <TableCell>{translate('app.cert.evidence_description')}</TableCell>
            <TableCell>{translate('app.cert.evidence_school')}</TableCell>
            <TableCell>{translate('app.cert.evidence_year')}</TableCell>
            <TableCell align="right">{translate('app.cert.evidence_count')}</TableCell>
            {amounts && <TableCell align="right">{translate('app.cert.evidence_amount')}</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map((e, i) => (
            <TableRow key={i} data-source={e.source}>
              <TableCell>{i + 1}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {EVIDENCE_TYPES[e.type] ?? e.type}
                <Typography variant="caption" component="div" color="text.secondary" data-testid="evidence-source">
                  {e.sourceRef ? <Link to={`/${e.sourceRef}/show`}>{SOURCE_LABELS[e.source] ?? e.source}</Link> : (SOURCE_LABELS[e.source] ?? e.source)}
                </Typography>
              </TableCell>
              <TableCell sx={{ whiteSpace: 'pre-wrap', minWidth: '9em' }}>{e.description}</TableCell>
              <TableCell sx={{ minWidth: '7em' }}>{e.schoolName ?? '—'}</TableCell>
              <TableCell>{e.year ?? '—'}</TableCell>
              <TableCell align="right">{e.count ?? '—'}</TableCell>
              {amounts && (
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  {e.amountYuan !== undefined && e.amountYuan !== null ? e.amountYuan.toLocaleString('zh-CN') : '—'}
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** The application's content, read-only: plan, evidence, declarations. */
export function ApplicationDetails({ app }: { app: CertificationApplicationDto }) {
  const translate = useTranslate();
  // what the enterprise typed, then what the portal's own records give (linked, read-only)
  const evidence = [...app.evidence, ...(app.linkedEvidence ?? [])];
  return (
    <Stack spacing={2.5} data-testid="application-details">
      <Box>
        <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
          {translate('app.cert.evidence')}（{evidence.length}）
        </Typography>
        {evidence.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate('app.cert.no_evidence')}
          </Typography>
        ) : (
          <EvidenceTable items={evidence} />
        )}
      </Box>
      <Box>
        <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
          {translate('app.cert.declarations')}
        </Typography>
        {DECLARATION_KEYS.map((k) => (
          <Stack key={k} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            {app.declarations[k] ? <CheckBoxIcon color="success" fontSize="small" /> : <CheckBoxOutlineBlankIcon color="disabled" fontSize="small" />}
            <Typography variant="body2">{translate(`app.cert.declaration.${k}`)}</Typography>
          </Stack>
        ))}
      </Box>
      <Box>
        <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
          {translate('app.cert.plan')}
        </Typography>
        <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', bgcolor: 'grey.50', p: 1.5, borderRadius: 1, minHeight: 48 }}>
          {app.plan || translate('app.cert.no_plan')}
        </Typography>
      </Box>
    </Stack>
  );
}
