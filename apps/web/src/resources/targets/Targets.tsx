import { countyName, type TargetDto } from '@portal/contracts';
import {
  Create,
  DataTable,
  DeleteButton,
  Edit,
  List,
  NumberInput,
  required,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextInput,
  Toolbar,
  useTranslate,
} from 'react-admin';
import { countyChoices } from '../../common/choices';
import { ExportActions } from '../../common/ExportButton';
import { formatCount, formatDateTime } from '../../common/format';

const dayFormat = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v ?? '') ? undefined : '请按 YYYY-MM-DD 填写日期');
const keyFormat = (v: string) => (/^[a-z][a-z0-9_]{1,49}$/.test(v ?? '') ? undefined : '小写字母、数字和下划线，以字母开头');

function useScope() {
  const translate = useTranslate();
  return (r: TargetDto) => (r.countyCode ? (countyName(r.countyCode) ?? r.countyCode) : translate('app.reporting.targets_city'));
}

/** 规划目标: the plan's numbers as data (DOMAIN.md "Targets"), read by everyone, edited by the admin (every change kept). */
export function TargetList() {
  const translate = useTranslate();
  const scope = useScope();
  return (
    <List
      title={translate('app.menu.targets')}
      sort={{ field: 'seedTask', order: 'ASC' }}
      perPage={50}
      exporter={false}
      actions={<ExportActions />}
      filters={[
        <SelectInput
          key="countyCode"
          source="countyCode"
          choices={[{ id: 'city', name: translate('app.reporting.targets_city') }, ...countyChoices]}
          translateChoice={false}
          alwaysOn
          emptyText={translate('app.common.all')}
        />,
      ]}
    >
      <DataTable rowClick="edit" bulkActionButtons={false}>
        <DataTable.Col source="label" />
        <DataTable.Col source="value" render={(r: TargetDto) => `${formatCount(r.value)} ${r.unit}`} />
        <DataTable.Col source="deadline" />
        <DataTable.Col source="seedTask" render={(r: TargetDto) => translate('app.reporting.seed_task', { n: r.seedTask })} />
        <DataTable.Col source="countyCode" render={scope} />
        <DataTable.Col source="updatedByName" disableSort render={(r: TargetDto) => r.updatedByName ?? '—'} />
        <DataTable.Col source="updatedAt" disableSort render={(r: TargetDto) => formatDateTime(r.updatedAt)} />
      </DataTable>
    </List>
  );
}

function TargetForm({ create }: { create?: boolean }) {
  const translate = useTranslate();
  return (
    <SimpleForm
      toolbar={
        <Toolbar sx={{ justifyContent: 'space-between' }}>
          <SaveButton />
          {!create && <DeleteButton mutationMode="pessimistic" />}
        </Toolbar>
      }
    >
      <TextInput source="indicator" validate={[required(), keyFormat]} helperText="如 certified_enterprises、order_classes" />
      <TextInput source="label" validate={required()} />
      <NumberInput source="value" validate={required()} min={0} />
      <TextInput source="unit" validate={required()} helperText="家、个、人次、元、%" />
      <TextInput source="deadline" validate={[required(), dayFormat]} helperText="YYYY-MM-DD" />
      <NumberInput source="seedTask" validate={required()} min={1} max={78} />
      <SelectInput source="countyCode" choices={countyChoices} translateChoice={false} emptyText={translate('app.reporting.targets_city')} />
    </SimpleForm>
  );
}

export function TargetEdit() {
  return (
    <Edit mutationMode="pessimistic">
      <TargetForm />
    </Edit>
  );
}

export function TargetCreate() {
  return (
    <Create redirect="list">
      <TargetForm create />
    </Create>
  );
}
