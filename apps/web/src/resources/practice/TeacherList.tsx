import { Chip } from '@mui/material';
import type { TeacherDto } from '@portal/contracts';
import {
  BooleanInput,
  CreateButton,
  DataTable,
  FilterButton,
  List,
  SearchInput,
  SelectInput,
  TextInput,
  TopToolbar,
  useListContext,
  useTranslate,
} from 'react-admin';
import { countyChoices } from '../../common/choices';
import { ExportButton } from '../../common/ExportButton';
import { useMe } from '../../common/useMe';
import { hasRole } from '../../providers/access';
import { employmentChoices } from './shared';

/** The hours column's header: 近 n 年学时, the rule's window (setting practice.windowYears) as the rows carry it. */
function HoursHeader() {
  const translate = useTranslate();
  const years = useListContext<TeacherDto>().data?.[0]?.windowYears;
  return <>{years ? translate('app.practice.hours_in_window', { years }) : translate('resources.teachers.fields.hours')}</>;
}

/**
 * The warning list's filter label: 目前达标、n 个月内将不达标, the warning window (setting practice.warnMonths) as the
 * rows carry it; without rows, the words without the number.
 */
function AtRiskLabel() {
  const translate = useTranslate();
  const months = useListContext<TeacherDto>().data?.[0]?.warnMonths;
  return <>{months ? translate('app.practice.at_risk_within', { months }) : translate('resources.teachers.fields.atRisk')}</>;
}

/** A teacher's status today: met (until when), below, or lapsing within the warning window. */
function StatusCell({ t }: { t: TeacherDto }) {
  const translate = useTranslate();
  if (!t.met) return <Chip size="small" color="default" label={translate('app.practice.no')} data-testid="status-not-met" />;
  return (
    <Chip
      size="small"
      color={t.atRisk ? 'warning' : 'success'}
      label={`${translate('app.practice.yes')} · ${translate('resources.teachers.fields.lastMetDate')} ${t.lastMetDate}`}
      data-testid={t.atRisk ? 'status-at-risk' : 'status-met'}
    />
  );
}

/**
 * 本校教师 (school) / 教师实践名录 (bureaus): each teacher's status over the rule's window; the warning list is the atRisk filter; the
 * dashboard's shares open it filtered (active, employment, dualQualified, countyCode, schoolId). 导出 Excel (phones masked).
 */
export function TeacherList() {
  const translate = useTranslate();
  const { roles } = useMe();
  const bureau = hasRole(roles, 'admin', 'city_reviewer', 'county_reviewer');
  return (
    <List
      resource="teachers"
      title={translate(hasRole(roles, 'school_admin') ? 'app.menu.school_teachers' : 'app.menu.teachers')}
      filters={[
        <SearchInput key="q" source="q" alwaysOn />,
        <TextInput key="major" source="major" />,
        <SelectInput key="employment" source="employment" choices={employmentChoices} translateChoice={false} emptyText={translate('app.common.all')} />,
        <BooleanInput key="dualQualified" source="dualQualified" />,
        <BooleanInput key="active" source="active" />,
        ...(bureau
          ? [<SelectInput key="countyCode" source="countyCode" choices={countyChoices} translateChoice={false} emptyText={translate('app.common.all')} />]
          : []),
        <BooleanInput key="met" source="met" />,
        <BooleanInput key="atRisk" source="atRisk" label={<AtRiskLabel />} alwaysOn />,
      ]}
      sort={{ field: 'id', order: 'ASC' }}
      perPage={25}
      exporter={false}
      empty={false}
      actions={
        <TopToolbar>
          <FilterButton />
          {hasRole(roles, 'school_admin') && <CreateButton label={translate('app.practice.new_teacher')} />}
          <ExportButton />
        </TopToolbar>
      }
    >
      <DataTable rowClick={hasRole(roles, 'school_admin') ? 'edit' : false} bulkActionButtons={false}>
        <DataTable.Col source="displayName" />
        {/* the login, as the import of past records names a teacher */}
        <DataTable.Col source="username" disableSort />
        <DataTable.Col source="schoolName" disableSort />
        <DataTable.Col source="major" />
        <DataTable.Col source="employment" disableSort render={(t: TeacherDto) => employmentChoices.find((e) => e.id === t.employment)?.name} />
        <DataTable.Col
          source="dualQualified"
          disableSort
          render={(t: TeacherDto) => (t.dualQualified ? `${translate('app.practice.yes')}（${t.dualQualifiedOn ?? ''}）` : translate('app.practice.no'))}
        />
        <DataTable.Col source="hours" label={<HoursHeader />} />
        <DataTable.Col source="months" disableSort />
        <DataTable.Col source="met" disableSort render={(t: TeacherDto) => <StatusCell t={t} />} />
      </DataTable>
    </List>
  );
}
