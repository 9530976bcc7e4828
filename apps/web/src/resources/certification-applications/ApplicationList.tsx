import { Chip, Stack, Typography } from '@mui/material';
import { countyName, type CertificationApplicationDto } from '@portal/contracts';
import { DataTable, List, NumberInput, SearchInput, SelectInput, useTranslate } from 'react-admin';
import { countyChoices } from '../../common/choices';
import { daysUntil, formatDate, formatDateTime } from '../../common/format';
import { useMe } from '../../common/useMe';
import { hasRole } from '../../providers/access';
import { useDefinition } from '../../workflow/hooks';
import { StageChip } from '../../workflow/StageChip';
import { stateOf } from '../../workflow/stages';
import { BATCH_STAGES, BatchActionButton } from './BatchActionButton';
import { industryName } from './ApplicationDetails';
import { PortalPagination } from '../../common/PortalPagination';
import { ExportActions } from '../../common/ExportButton';

function useFilters() {
  const translate = useTranslate();
  const { data: def } = useDefinition('certification');
  const stages = (def?.states ?? []).map((s) => ({ id: s.key, name: s.label }));
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput key="state" source="state" choices={stages} translateChoice={false} alwaysOn emptyText={translate('app.common.all')} />,
    <SelectInput key="countyCode" source="countyCode" choices={countyChoices} translateChoice={false} alwaysOn emptyText={translate('app.common.all')} />,
    <SelectInput
      key="overdue"
      source="overdue"
      choices={[{ id: 'true', name: translate('app.tasks.overdue_only') }]}
      emptyText={translate('app.common.all')}
    />,
    <NumberInput key="year" source="year" min={2023} max={2100} />,
  ];
}

function StageCell({ app }: { app: CertificationApplicationDto }) {
  const { data: def } = useDefinition('certification');
  return <StageChip summary={app.case} def={def} />;
}

function DueCell({ app }: { app: CertificationApplicationDto }) {
  const translate = useTranslate();
  const { data: def } = useDefinition('certification');
  const kind = stateOf(def, app.case.state)?.kind;
  if (!app.case.stageDueAt || kind === 'final') return <>—</>;
  const left = daysUntil(app.case.stageDueAt);
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <Typography variant="body2">{formatDate(app.case.stageDueAt)}</Typography>
      {left !== null && left < 0 && <Chip size="small" color="error" label={translate('app.tasks.overdue')} />}
    </Stack>
  );
}

/**
 * 认定申请 for reviewers: filters by stage, county, overdue and a search; the city may decide many at once
 * (批量认定). With `publicity`, the applications now under public notice (the 公示 menu).
 */
export function ApplicationList({ publicity }: { publicity?: boolean }) {
  const translate = useTranslate();
  const { roles } = useMe();
  const city = hasRole(roles, 'city_reviewer', 'admin');
  const filters = useFilters();
  return (
    <List
      resource="certification-applications"
      title={translate(publicity ? 'app.menu.publicity' : 'app.menu.applications')}
      filters={publicity ? filters.filter((f) => f.key !== 'state') : filters}
      filter={publicity ? { state: 'publicity' } : undefined}
      disableSyncWithLocation={publicity}
      storeKey={publicity ? 'certification-applications.publicity' : undefined}
      sort={{ field: 'updatedAt', order: 'DESC' }}
      perPage={25}
      pagination={<PortalPagination />}
      exporter={false}
      actions={<ExportActions />}
    >
      <DataTable
        rowClick="show"
        bulkActionButtons={
          city && !publicity ? (
            <>
              <BatchActionButton action="publicize" />
              <BatchActionButton action="certify" />
            </>
          ) : (
            false
          )
        }
        isRowSelectable={(a: CertificationApplicationDto) => BATCH_STAGES.includes(a.case.state)}
        rowSx={(a: CertificationApplicationDto) =>
          a.case.stageDueAt &&
          (daysUntil(a.case.stageDueAt) ?? 0) < 0 &&
          !['certified', 'not_certified', 'rejected', 'withdrawn', 'draft', 'returned'].includes(a.case.state)
            ? { bgcolor: '#fff1f0' }
            : {}
        }
      >
        <DataTable.Col
          source="enterpriseName"
          disableSort
          render={(a: CertificationApplicationDto) => (
            <Typography variant="body2" sx={{ fontWeight: 500 }}>
              {a.enterpriseName}
            </Typography>
          )}
        />
        <DataTable.Col source="countyCode" disableSort render={(a: CertificationApplicationDto) => countyName(a.countyCode) ?? '—'} />
        <DataTable.Col source="industry" disableSort render={(a: CertificationApplicationDto) => industryName(a.industry)} />
        <DataTable.Col source="year" disableSort />
        <DataTable.Col source="state" disableSort render={(a: CertificationApplicationDto) => <StageCell app={a} />} />
        <DataTable.Col source="stageDueAt" render={(a: CertificationApplicationDto) => <DueCell app={a} />} />
        <DataTable.Col source="updatedAt" render={(a: CertificationApplicationDto) => formatDateTime(a.updatedAt)} />
      </DataTable>
    </List>
  );
}
