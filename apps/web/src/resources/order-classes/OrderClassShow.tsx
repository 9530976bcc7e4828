import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { Alert, Box, Button, Chip, Stack, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { chineseDate, countyName, INDUSTRIES, ORDER_CLASS_CHECKLIST, type EmploymentStatsDto, type OrderClassDto } from '@portal/contracts';
import { useState, type ReactNode } from 'react';
import { Loading, ShowBase, Title, useNavigate, useShowContext, useTranslate } from 'react-admin';
import { errorMessage, listPath, usePortalApi } from '../../common/api';
import type { SaveStatus } from '../../common/useAutosave';
import { useMe } from '../../common/useMe';
import { CaseHeader } from '../../workflow/CaseHeader';
import { CaseSections } from '../../workflow/CaseSections';
import { useCase, useRefreshCase } from '../../workflow/hooks';
import { IssuedDocuments } from '../certification-applications/IssuedDocuments';
import { Section } from '../certification-applications/shared';
import { ChangesPanel } from './ChangesPanel';
import { OrderClassForm } from './OrderClassForm';
import { RosterPanel } from './RosterPanel';
import { CHANGE_ACTIONS, EDITABLE_STATES, ORDER_CLASS_WORKFLOW, OUTCOME_STATES, percent, REPORTING_STATES, ROSTER_OPEN_STATES, RUNNING_STATES } from './shared';

function Facts({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <Table size="small">
      <TableBody>
        {rows.map(([label, value]) => (
          <TableRow key={label}>
            <TableCell sx={{ width: 160, color: 'text.secondary', verticalAlign: 'top' }}>{label}</TableCell>
            <TableCell>{value || '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The registration as the enterprise, the bureau and the school read it. */
function Details({ cls }: { cls: OrderClassDto }) {
  const translate = useTranslate();
  const t = (k: string) => translate(`app.oc.${k}`);
  const e = cls.enterprise;
  return (
    <Facts
      rows={[
        [t('school'), `${cls.schoolName}（${countyName(cls.countyCode) ?? ''}）`],
        [
          t('enterprise_mode'),
          <>
            {e.name ?? e.creditCode} {e.creditCode && e.name ? `（${e.creditCode}）` : ''}{' '}
            {e.invited && <Chip size="small" color="warning" label={`${translate('app.oc.invited_badge')} ${e.invitedEmail ?? ''}`} />}
            {e.industry ? ` · ${INDUSTRIES.find((i) => i.code === e.industry)?.name ?? ''}` : ''}
          </>,
        ],
        [t('major'), cls.majorName],
        [t('cohort_year'), cls.cohortYear ? String(cls.cohortYear) : ''],
        [t('planned'), cls.plannedHeadcount ? String(cls.plannedHeadcount) : ''],
        [t('enrolled'), String(cls.enrolled)],
        [t('term'), cls.termStart && cls.termEnd ? `${chineseDate(cls.termStart)} — ${chineseDate(cls.termEnd)}` : ''],
        [
          t('courses'),
          <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
            {cls.courses}
          </Typography>,
        ],
        [t('mentors'), cls.mentors.map((m) => `${m.name}（${m.title}${m.years ? `，${m.years}年` : ''}）`).join('；')],
        [
          t('internship'),
          [cls.internship.arrangement, cls.internship.months ? `${cls.internship.months}个月` : '', cls.internship.insurer, cls.internship.policyNo]
            .filter(Boolean)
            .join(' · '),
        ],
        [
          t('employment'),
          [
            cls.employment.posts.map((p) => `${p.title} ${p.openings}个`).join('、'),
            cls.employment.salaryMinYuan !== null && cls.employment.salaryMaxYuan !== null
              ? `${cls.employment.salaryMinYuan}–${cls.employment.salaryMaxYuan} 元/月`
              : '',
            cls.employment.note,
          ]
            .filter(Boolean)
            .join(' · '),
        ],
      ]}
    />
  );
}

/** The class's employment outcomes, computed by the server from the students' rows. */
function Rates({ cls }: { cls: OrderClassDto }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const { data } = useQuery({
    queryKey: ['order-classes', cls.id, 'rates', cls.case.state],
    queryFn: () => api.get<EmploymentStatsDto[]>(`/order-classes/employment-stats?group=class&filter=${encodeURIComponent(JSON.stringify({ id: [cls.id] }))}`),
  });
  const s = data?.[0];
  if (!s) return null;
  return (
    <Facts
      rows={[
        [translate('app.oc.graduates'), `${s.graduated} / ${s.students}`],
        [translate('app.oc.employed_enterprise'), String(s.employedByEnterprise)],
        [translate('app.oc.employed_elsewhere'), String(s.employedElsewhere)],
        [translate('app.oc.further_study'), String(s.furtherStudy)],
        [translate('app.oc.enterprise_rate'), percent(s.enterpriseRate)],
        [translate('app.oc.employment_rate'), percent(s.employmentRate)],
      ]}
    />
  );
}

function View() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const client = useQueryClient();
  const api = usePortalApi();
  const { me } = useMe();
  const refreshCase = useRefreshCase();
  const { record, isPending, error } = useShowContext<OrderClassDto>();
  const { data: summary } = useCase(record?.caseRef, record?.case);
  // the receipt exists once the class is filed (issued by the worker shortly after)
  const filed = useQuery({
    queryKey: ['order-classes', record?.id, 'documents'],
    queryFn: () => api.get<unknown[]>(listPath('documents', { filter: { caseId: record!.case.caseId }, range: [0, 0] })),
    enabled: !!record,
  });
  // the registration form saves as it is typed: the case's actions (submit) wait until what was typed is saved
  const [saveStatus, setSaveStatus] = useState<SaveStatus>('saved');
  if (isPending) return <Loading />;
  if (error || !record)
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {errorMessage(error)}
      </Alert>
    );
  const cls = record;
  const state = summary?.state ?? cls.case.state;
  const owner = me?.organisationId === cls.schoolId && (me?.roles ?? []).includes('school_admin');
  // a saved form may complete the registration (the submit guard): the case's actions are asked for again with the record
  const onDone = () => {
    void client.invalidateQueries({ queryKey: ['order-classes'] });
    refreshCase(cls.caseRef);
  };
  const t = (k: string) => translate(`app.oc.${k}`);
  const editing = owner && EDITABLE_STATES.includes(state);
  const side = (filed.data?.length ?? 0) > 0 || ['reporting', 'closed'].includes(state) || RUNNING_STATES.includes(state);
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={cls.name} />
      <Box>
        <Button size="small" startIcon={<ArrowBackIcon />} onClick={() => navigate('/order-classes')}>
          {translate('app.common.back')}
        </Button>
      </Box>
      {/* a roster change carries a student, a date and a reason: it is recorded in 名单变更, not through the generic dialog */}
      <CaseHeader
        caseRef={cls.caseRef}
        workflowKey={ORDER_CLASS_WORKFLOW}
        initial={cls.case}
        onDone={onDone}
        excludeActions={CHANGE_ACTIONS}
        actionsDisabledReason={editing && saveStatus !== 'saved' ? translate('app.cert.wait_for_save') : undefined}
      />
      {/* the side column (receipt, rates, changes) exists once the class is filed: before, the form takes the whole width */}
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: { xs: '1fr', lg: side ? 'minmax(0, 2fr) minmax(300px, 1fr)' : '1fr' },
          gap: 2,
          alignItems: 'start',
        }}
      >
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          {editing ? (
            <Section title={t('edit_form')}>
              <OrderClassForm key={cls.id} cls={cls} onSaved={onDone} onStatus={setSaveStatus} />
            </Section>
          ) : (
            <Section title={t('basics')} testId="order-class-details">
              <Details cls={cls} />
            </Section>
          )}
        </Stack>
        {side && (
          <Stack spacing={2} sx={{ minWidth: 0 }}>
            {(filed.data?.length ?? 0) > 0 && (
              <Section title={t('receipt')} testId="order-class-receipt">
                <IssuedDocuments caseId={cls.case.caseId} />
              </Section>
            )}
            {['reporting', 'closed'].includes(state) && (
              <Section title={t('rates')}>
                <Rates cls={cls} />
              </Section>
            )}
            {(RUNNING_STATES.includes(state) || state === 'closed') && (
              <Section title={t('changes')}>
                <ChangesPanel classId={cls.id} canRecord={owner && state === 'active'} version={summary?.version ?? cls.case.version} />
              </Section>
            )}
          </Stack>
        )}
      </Box>
      <Section title={t('roster')}>
        <RosterPanel
          classId={cls.id}
          owner={owner}
          rosterOpen={ROSTER_OPEN_STATES.includes(state)}
          reporting={REPORTING_STATES.includes(state)}
          outcomes={OUTCOME_STATES.includes(state)}
        />
      </Section>
      <CaseSections caseRef={cls.caseRef} workflowKey={ORDER_CLASS_WORKFLOW} purposes={ORDER_CLASS_CHECKLIST} />
    </Stack>
  );
}

/** An order class: its registration (the school's form while it is editable), the roster, changes, the receipt and outcomes. */
export function OrderClassShow() {
  return (
    <ShowBase>
      <View />
    </ShowBase>
  );
}
