import { DataTable, List, SearchInput, SelectField, SelectInput, usePermissions, useTranslate } from 'react-admin';
import { countyChoices, industryChoices, kindChoices } from '../../common/choices';
import { hasRole, toRoles } from '../../providers/access';
import { PortalPagination } from '../../common/PortalPagination';
import { ExportActions } from '../../common/ExportButton';
import { DateTimeField } from '../../common/fields';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="kind" source="kind" choices={kindChoices} />,
  <SelectInput key="countyCode" source="countyCode" choices={countyChoices} translateChoice={false} />,
  <SelectInput key="industry" source="industry" choices={industryChoices} translateChoice={false} />,
];

/** 机构管理 (admin) / 机构名录 (reviewers; a county reviewer sees its county only, the server filters). */
export function OrganisationList() {
  const translate = useTranslate();
  const { permissions } = usePermissions<unknown>();
  const admin = hasRole(toRoles(permissions), 'admin');
  return (
    <List
      filters={filters}
      sort={{ field: 'id', order: 'ASC' }}
      perPage={25}
      pagination={<PortalPagination />}
      exporter={false}
      actions={<ExportActions />}
      title={translate(admin ? 'app.menu.organisations' : 'app.organisations.read_title')}
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="name" />
        <DataTable.Col source="kind">
          <SelectField source="kind" choices={kindChoices} />
        </DataTable.Col>
        <DataTable.Col source="creditCode" disableSort sx={{ fontFamily: 'monospace' }} />
        <DataTable.Col source="countyCode">
          <SelectField source="countyCode" choices={countyChoices} translateChoice={false} />
        </DataTable.Col>
        <DataTable.Col source="industry">
          <SelectField source="industry" choices={industryChoices} translateChoice={false} />
        </DataTable.Col>
        <DataTable.Col source="contactName" disableSort />
        <DataTable.Col source="contactPhone" disableSort />
        <DataTable.Col source="createdAt">
          <DateTimeField source="createdAt" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
