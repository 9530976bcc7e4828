import { BooleanInput, Create, DateInput, PasswordInput, SelectInput, SimpleForm, TextInput, required, useTranslate } from 'react-admin';
import { employmentChoices } from './shared';

/** A school creates a teacher: the account (role teacher in the school) and the profile. */
export function TeacherCreate() {
  const translate = useTranslate();
  return (
    <Create resource="teachers" redirect="list" title={translate('app.practice.new_teacher')}>
      <SimpleForm defaultValues={{ employment: 'full_time', dualQualified: false }}>
        <TextInput source="username" validate={required()} />
        <TextInput source="displayName" validate={required()} />
        <PasswordInput source="password" validate={required()} />
        <TextInput source="email" type="email" />
        <TextInput source="phone" />
        <TextInput source="major" validate={required()} />
        <SelectInput source="employment" choices={employmentChoices} translateChoice={false} validate={required()} />
        <BooleanInput source="dualQualified" />
        <DateInput source="dualQualifiedOn" />
      </SimpleForm>
    </Create>
  );
}
