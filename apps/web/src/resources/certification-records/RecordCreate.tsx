import { Alert } from '@mui/material';
import { useState } from 'react';
import { Create, DateInput, required, SelectInput, SimpleForm, TextInput, maxLength, minLength, useTranslate } from 'react-admin';
import { newIdempotencyKey } from '../../common/api';
import { todayPlus } from '../../common/format';

/** The enterprise proposes a provincial or national certification; the published list is attached next, on its page. */
export function RecordCreate() {
  const translate = useTranslate();
  // one key for this form: a double submit or a retry answers the record already made (the server also
  // refuses a second open record with the same document number)
  const [idempotencyKey] = useState(newIdempotencyKey);
  return (
    <Create redirect="show" title={translate('app.records.create')} mutationOptions={{ meta: { idempotencyKey } }}>
      <SimpleForm defaultValues={{ level: 'provincial' }}>
        <Alert severity="info" sx={{ mb: 2, width: '100%', maxWidth: 640 }}>
          {translate('app.records.create_hint')}
        </Alert>
        <SelectInput
          source="level"
          choices={[
            { id: 'provincial', name: '省级' },
            { id: 'national', name: '国家级' },
          ]}
          translateChoice={false}
          validate={required()}
        />
        <TextInput source="documentNo" validate={[required(), minLength(2), maxLength(100)]} helperText="app.records.document_no_hint" sx={{ maxWidth: 480 }} />
        <DateInput source="certifiedAt" validate={required()} slotProps={{ htmlInput: { max: todayPlus(0) } }} />
      </SimpleForm>
    </Create>
  );
}
