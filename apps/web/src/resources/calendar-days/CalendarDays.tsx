import { Chip } from '@mui/material';
import {
  Create,
  DataTable,
  DeleteButton,
  Edit,
  List,
  NumberInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { portalYear } from '../../common/format';

const kindChoices = [
  { id: 'holiday', name: 'app.calendar.holiday' },
  { id: 'workday', name: 'app.calendar.workday' },
];
const dayFormat = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? undefined : 'app.calendar.day_format');

/**
 * 节假日与调休 (admin): the days that break the Monday-to-Friday rule, on which SLA due dates and 公示
 * windows are counted. Keep it current when the State Council publishes the next year's arrangement.
 */
export function CalendarDayList() {
  const translate = useTranslate();
  return (
    <List
      title={translate('app.menu.calendar')}
      filters={[<NumberInput key="year" source="year" label="app.calendar.year" alwaysOn />]}
      filterDefaultValues={{ year: portalYear() }}
      sort={{ field: 'id', order: 'ASC' }}
      perPage={100}
      exporter={false}
    >
      <DataTable rowClick="edit" bulkActionButtons={false}>
        <DataTable.Col source="day" label="app.calendar.day" disableSort />
        <DataTable.Col
          source="kind"
          label="app.calendar.kind"
          disableSort
          render={(r: RaRecord) => (
            <Chip size="small" color={r.kind === 'holiday' ? 'error' : 'primary'} variant="outlined" label={translate(`app.calendar.${r.kind}`)} />
          )}
        />
        <DataTable.Col source="name" label="app.calendar.name" disableSort />
      </DataTable>
    </List>
  );
}

export function CalendarDayEdit() {
  return (
    <Edit mutationMode="pessimistic">
      <SimpleForm toolbar={undefined}>
        <TextInput source="day" label="app.calendar.day" disabled />
        <SelectInput source="kind" label="app.calendar.kind" choices={kindChoices} validate={required()} />
        <TextInput source="name" label="app.calendar.name" />
        <DeleteButton mutationMode="pessimistic" label="app.calendar.reset" />
      </SimpleForm>
    </Edit>
  );
}

export function CalendarDayCreate() {
  return (
    <Create redirect="list">
      <SimpleForm>
        <TextInput source="day" label="app.calendar.day" helperText="YYYY-MM-DD" validate={[required(), dayFormat]} />
        <SelectInput source="kind" label="app.calendar.kind" choices={kindChoices} validate={required()} />
        <TextInput source="name" label="app.calendar.name" />
      </SimpleForm>
    </Create>
  );
}
