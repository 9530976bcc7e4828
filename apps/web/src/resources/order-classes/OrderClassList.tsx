import DownloadIcon from '@mui/icons-material/Download';
import { Button, Typography } from '@mui/material';
import { countyName, type OrderClassDto } from '@portal/contracts';
import { useState } from 'react';
import {
  AutocompleteInput,
  CreateButton,
  DataTable,
  FilterButton,
  List,
  NullableBooleanInput,
  NumberInput,
  ReferenceInput,
  SearchInput,
  SelectInput,
  TopToolbar,
  useListContext,
  useNotify,
  useTranslate,
} from 'react-admin';
import { errorMessage, listPath, usePortalApi } from '../../common/api';
import { countyChoices, industryChoices } from '../../common/choices';
import { formatDateTime } from '../../common/format';
import { useMe } from '../../common/useMe';
import { MenuTitle } from '../../layout/SingleActiveMenu';
import { hasRole } from '../../providers/access';
import { useDefinition } from '../../workflow/hooks';
import { StageChip } from '../../workflow/StageChip';
import { majorChoices, ORDER_CLASS_WORKFLOW } from './shared';

function useFilters() {
  const translate = useTranslate();
  const { data: def } = useDefinition(ORDER_CLASS_WORKFLOW);
  const stages = (def?.states ?? []).map((s) => ({ id: s.key, name: s.label }));
  const all = translate('app.common.all');
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput key="state" source="state" choices={stages} translateChoice={false} alwaysOn emptyText={all} />,
    // the classes counted toward the plan's target (filed, not terminated): what the dashboard's figures open
    <NullableBooleanInput key="counted" source="counted" />,
    <SelectInput key="countyCode" source="countyCode" choices={countyChoices} translateChoice={false} emptyText={all} />,
    <SelectInput key="industry" source="industry" choices={industryChoices} translateChoice={false} emptyText={all} />,
    <SelectInput key="majorCode" source="majorCode" choices={majorChoices} translateChoice={false} emptyText={all} />,
    // chosen by name among the organisations the viewer may read (the URL keeps the ids the dashboard links with)
    <ReferenceInput key="schoolId" source="schoolId" reference="organisations" filter={{ kind: 'school' }} sort={{ field: 'name', order: 'ASC' }}>
      <AutocompleteInput optionText="name" filterToQuery={(q: string) => ({ q })} label="resources.order-classes.fields.schoolId" sx={{ minWidth: 280 }} />
    </ReferenceInput>,
    <ReferenceInput key="enterpriseId" source="enterpriseId" reference="organisations" filter={{ kind: 'enterprise' }} sort={{ field: 'name', order: 'ASC' }}>
      <AutocompleteInput optionText="name" filterToQuery={(q: string) => ({ q })} label="resources.order-classes.fields.enterpriseId" sx={{ minWidth: 280 }} />
    </ReferenceInput>,
    <NumberInput key="cohortYear" source="cohortYear" min={2000} max={2100} />,
  ];
}

/** 导出列表: the .xlsx of the list with the filters on screen. */
function ExportButton() {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const { filterValues, sort } = useListContext<OrderClassDto>() as { filterValues: Record<string, unknown>; sort: { field: string; order: 'ASC' | 'DESC' } };
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await api.download(listPath('order-classes/export', { filter: filterValues, sort: [sort.field, sort.order] }), '订单班列表.xlsx');
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="small" startIcon={<DownloadIcon />} onClick={() => void run()} disabled={busy}>
      {translate('app.oc.export_list')}
    </Button>
  );
}

function Actions() {
  const { roles } = useMe();
  return (
    <TopToolbar>
      {/* 添加筛选: the filters that are not always on (county, industry, major, school, enterprise, cohort) */}
      <FilterButton />
      {hasRole(roles, 'school_admin') && <CreateButton />}
      <ExportButton />
    </TopToolbar>
  );
}

/**
 * 订单班: the school's own classes, the enterprise's (to confirm, and running), the county bureau's (its
 * county's, submitted), the city's (all): filterable by stage, county, industry, major, school and enterprise.
 */
export function OrderClassList() {
  const translate = useTranslate();
  const { data: def } = useDefinition(ORDER_CLASS_WORKFLOW);
  return (
    <List
      resource="order-classes"
      title={<MenuTitle fallback={translate('app.menu.order_classes')} />}
      filters={useFilters()}
      actions={<Actions />}
      sort={{ field: 'updatedAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col
          source="name"
          render={(c: OrderClassDto) => (
            <Typography variant="body2" sx={{ fontWeight: 500 }}>
              {c.name}
            </Typography>
          )}
        />
        <DataTable.Col source="schoolName" disableSort />
        <DataTable.Col
          source="enterprise"
          disableSort
          render={(c: OrderClassDto) => c.enterprise.name ?? `${c.enterprise.creditCode ?? ''}（${translate('app.oc.invited_badge')}）`}
        />
        <DataTable.Col source="majorName" disableSort />
        <DataTable.Col source="countyCode" disableSort render={(c: OrderClassDto) => countyName(c.countyCode) ?? '—'} />
        <DataTable.Col source="cohortYear" />
        <DataTable.Col source="enrolled" disableSort />
        <DataTable.Col source="state" disableSort render={(c: OrderClassDto) => <StageChip summary={c.case} def={def} />} />
        <DataTable.Col source="updatedAt" render={(c: OrderClassDto) => formatDateTime(c.updatedAt)} />
      </DataTable>
    </List>
  );
}
