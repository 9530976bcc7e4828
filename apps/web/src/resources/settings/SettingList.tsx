import { DataTable, List, TextField, useTranslate } from 'react-admin';

/**
 * Policy numbers (login lock, token lifetime…): name and description in Chinese (never the key), value,
 * default and allowed range; edit changes the value only.
 */
export function SettingList() {
  const translate = useTranslate();
  return (
    <List sort={{ field: 'id', order: 'ASC' }} perPage={100} pagination={false} exporter={false} title={translate('app.menu.settings')}>
      <DataTable rowClick="edit" bulkActionButtons={false}>
        <DataTable.Col source="label" disableSort />
        <DataTable.Col source="description" disableSort>
          <TextField source="description" sx={{ color: 'text.secondary' }} />
        </DataTable.Col>
        <DataTable.Col source="value" disableSort>
          <TextField source="value" sx={{ fontWeight: 600, display: 'block', maxWidth: 360, overflowWrap: 'anywhere' }} />
        </DataTable.Col>
        <DataTable.Col source="default" disableSort>
          <TextField source="default" sx={{ display: 'block', maxWidth: 360, overflowWrap: 'anywhere' }} />
        </DataTable.Col>
        <DataTable.NumberCol source="min" disableSort />
        <DataTable.NumberCol source="max" disableSort />
      </DataTable>
    </List>
  );
}
