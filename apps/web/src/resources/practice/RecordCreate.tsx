import { Create, SimpleForm, useTranslate } from 'react-admin';
import { RecordFields } from './RecordForm';

/** A teacher logs a practice (a draft; submitted to the host from its page). */
export function RecordCreate() {
  const translate = useTranslate();
  return (
    <Create resource="practice-records" redirect="show" title={translate('app.practice.new_record')}>
      <SimpleForm defaultValues={{ hostKind: 'registered', form: 'post' }}>
        <RecordFields />
      </SimpleForm>
    </Create>
  );
}
