import type { PracticeRecordDto } from '@portal/contracts';
import { BooleanInput, CreateButton, DataTable, FilterButton, List, SearchInput, SelectInput, TopToolbar, useTranslate } from 'react-admin';
import { ExportButton } from '../../common/ExportButton';
import { countyChoices, industryChoices } from '../../common/choices';
import { formatDateTime } from '../../common/format';
import { useMe } from '../../common/useMe';
import { hasRole } from '../../providers/access';
import { MenuTitle } from '../../layout/SingleActiveMenu';
import { useDefinition } from '../../workflow/hooks';
import { StageChip } from '../../workflow/StageChip';
import { PRACTICE_WORKFLOW_KEY } from './keys';
import { PortalPagination } from '../../common/PortalPagination';
import { formChoices } from './shared';

function Stage({ r }: { r: PracticeRecordDto }) {
  const { data: def } = useDefinition(PRACTICE_WORKFLOW_KEY);
  return <StageChip summary={r.case} def={def} />;
}

/**
 * 实践记录: the teacher's own, the school's teachers' (审核), the host's (确认学时); for the bureaus the counted records of
 * their scope (the lists behind the dashboard's person-times: county of the school, industry of the host). Stages from the
 * workflow's definition; 导出 Excel with the list's filter.
 */
export function RecordList({ title }: { title?: string }) {
  const translate = useTranslate();
  const { roles } = useMe();
  const { data: def } = useDefinition(PRACTICE_WORKFLOW_KEY);
  const stages = (def?.states ?? []).map((s) => ({ id: s.key, name: s.label }));
  // a bureau reads counted records only, in the list (the case page and its history are the parties')
  const party = hasRole(roles, 'teacher', 'school_admin', 'enterprise_applicant');
  const bureau = hasRole(roles, 'admin', 'city_reviewer', 'county_reviewer');
  return (
    <List
      resource="practice-records"
      title={
        title ?? (
          <MenuTitle
            fallback={translate(
              bureau
                ? 'app.menu.counted_practice'
                : hasRole(roles, 'school_admin')
                  ? 'app.menu.school_approvals'
                  : hasRole(roles, 'enterprise_applicant')
                    ? 'app.menu.host_confirm'
                    : 'app.menu.my_practice',
            )}
          />
        )
      }
      filters={[
        <SearchInput key="q" source="q" alwaysOn />,
        <SelectInput key="state" source="state" choices={stages} translateChoice={false} alwaysOn emptyText={translate('app.common.all')} />,
        <BooleanInput key="counted" source="counted" />,
        ...(bureau
          ? [<SelectInput key="countyCode" source="countyCode" choices={countyChoices} translateChoice={false} emptyText={translate('app.common.all')} />]
          : []),
        <SelectInput key="industry" source="industry" choices={industryChoices} translateChoice={false} emptyText={translate('app.common.all')} />,
      ]}
      sort={{ field: 'id', order: 'DESC' }}
      perPage={25}
      pagination={<PortalPagination />}
      exporter={false}
      empty={false}
      actions={
        <TopToolbar>
          <FilterButton />
          {hasRole(roles, 'teacher') && <CreateButton label={translate('app.practice.new_record')} />}
          <ExportButton />
        </TopToolbar>
      }
    >
      <DataTable rowClick={party ? 'show' : false} bulkActionButtons={false}>
        <DataTable.Col source="teacherName" disableSort />
        {bureau && <DataTable.Col source="schoolName" disableSort />}
        <DataTable.Col source="hostName" disableSort render={(r: PracticeRecordDto) => r.hostName ?? r.hostInvitedCreditCode ?? '—'} />
        <DataTable.Col
          source="startDate"
          label="resources.practice-records.fields.period"
          render={(r: PracticeRecordDto) => `${r.startDate} 至 ${r.endDate}`}
        />
        <DataTable.Col source="form" disableSort render={(r: PracticeRecordDto) => formChoices.find((f) => f.id === r.form)?.name ?? r.form} />
        <DataTable.Col source="hours" disableSort />
        <DataTable.Col source="state" disableSort render={(r: PracticeRecordDto) => <Stage r={r} />} />
        <DataTable.Col source="updatedAt" render={(r: PracticeRecordDto) => formatDateTime(r.updatedAt)} />
      </DataTable>
    </List>
  );
}
