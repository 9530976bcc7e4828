import type { UserDto } from '@portal/contracts';
import {
  AutocompleteInput,
  BooleanField,
  DataTable,
  List,
  NullableBooleanInput,
  ReferenceField,
  ReferenceInput,
  SearchInput,
  SelectField,
  SelectInput,
  useTranslate,
} from 'react-admin';
import { countyChoices, roleChoices } from '../../common/choices';
import { DateTimeField, RoleChips } from '../../common/fields';
import { useMe } from '../../common/useMe';
import { hasRole } from '../../providers/access';
import { ExportActions } from '../../common/ExportButton';

/** 用户管理 (admin, every organisation) / 本单位用户 (managers; the server scopes it to their organisation). */
export function UserList() {
  const translate = useTranslate();
  const { roles } = useMe();
  const admin = hasRole(roles, 'admin');
  const filters = [
    <SearchInput key="q" source="q" alwaysOn />,
    ...(admin
      ? [
          <ReferenceInput key="organisationId" source="organisationId" reference="organisations" sort={{ field: 'name', order: 'ASC' }}>
            <AutocompleteInput optionText="name" filterToQuery={(q: string) => ({ q })} label="resources.users.fields.organisationId" />
          </ReferenceInput>,
        ]
      : []),
    <SelectInput key="role" source="role" choices={roleChoices()} />,
    <NullableBooleanInput key="active" source="active" />,
  ];
  return (
    <List
      filters={filters}
      sort={{ field: 'id', order: 'ASC' }}
      perPage={25}
      exporter={false}
      actions={<ExportActions />}
      title={translate(admin ? 'app.menu.users' : 'app.users.my_title')}
    >
      <DataTable rowClick="edit" bulkActionButtons={false}>
        <DataTable.Col source="username" />
        <DataTable.Col source="displayName" />
        {admin && (
          <DataTable.Col source="organisationId" disableSort>
            <ReferenceField source="organisationId" reference="organisations" link="show" />
          </DataTable.Col>
        )}
        <DataTable.Col<UserDto> source="roles" disableSort render={(record) => <RoleChips roles={record.roles} />} />
        {admin && (
          <DataTable.Col source="jurisdiction" disableSort>
            <SelectField source="jurisdiction" choices={countyChoices} translateChoice={false} emptyText="" />
          </DataTable.Col>
        )}
        <DataTable.Col source="active" disableSort>
          <BooleanField source="active" />
        </DataTable.Col>
        <DataTable.Col source="lockedUntil" disableSort>
          <DateTimeField source="lockedUntil" emptyText="" />
        </DataTable.Col>
        <DataTable.Col source="createdAt">
          <DateTimeField source="createdAt" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
