import {
  Edit,
  maxLength,
  maxValue,
  minValue,
  NumberInput,
  number,
  required,
  SaveButton,
  SimpleForm,
  TextField,
  TextInput,
  Labeled,
  Toolbar,
  useRecordContext,
  useTranslate,
} from 'react-admin';

function SettingTitle() {
  const record = useRecordContext();
  return <span>{record?.label ?? ''}</span>;
}

function ValueInput() {
  const record = useRecordContext();
  const translate = useTranslate();
  if (record?.type === 'text') {
    // wording (the issuing authority, a document's paragraph): placeholders such as {企业名称} are filled in on issue
    const placeholders = Array.isArray(record.placeholders) ? (record.placeholders as string[]) : [];
    const hint = placeholders.length ? translate('app.settings.placeholders', { names: placeholders.map((n) => `{${n}}`).join('、') }) : undefined;
    return (
      <TextInput
        source="value"
        validate={[required(), maxLength(Number(record.maxLength) || 500)]}
        multiline={Number(record.maxLength) > 100}
        minRows={3}
        helperText={hint}
        fullWidth
      />
    );
  }
  const min = typeof record?.min === 'number' ? record.min : undefined;
  const max = typeof record?.max === 'number' ? record.max : undefined;
  const validate = [required(), number(), ...(min !== undefined ? [minValue(min)] : []), ...(max !== undefined ? [maxValue(max)] : [])];
  const hint = min !== undefined && max !== undefined ? translate('app.settings.range', { min, max }) : undefined;
  // no native min/max: the browser would block the form with its own (English) bubble before our Chinese messages
  return <NumberInput source="value" validate={validate} step={1} helperText={hint} sx={{ maxWidth: 360 }} />;
}

function SaveOnlyToolbar() {
  return (
    <Toolbar>
      <SaveButton />
    </Toolbar>
  );
}

export function SettingEdit() {
  return (
    <Edit title={<SettingTitle />} mutationMode="pessimistic" redirect="list" actions={false}>
      <SimpleForm toolbar={<SaveOnlyToolbar />}>
        <Labeled>
          <TextField source="label" />
        </Labeled>
        <Labeled>
          <TextField source="description" />
        </Labeled>
        <Labeled>
          <TextField source="default" />
        </Labeled>
        <ValueInput />
      </SimpleForm>
    </Edit>
  );
}
