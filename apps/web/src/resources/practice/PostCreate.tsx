import { Create, DateInput, NumberInput, SimpleForm, TextInput, required, useTranslate } from 'react-admin';

/** An enterprise publishes a 千企万岗 post (county and industry are the enterprise's own). */
export function PostCreate() {
  const translate = useTranslate();
  return (
    <Create resource="practice-posts" redirect="list" title={translate('app.practice.new_post')}>
      <SimpleForm>
        <TextInput source="title" validate={required()} fullWidth />
        <TextInput source="major" validate={required()} />
        <NumberInput source="openings" validate={required()} min={1} max={1000} />
        <DateInput source="startDate" validate={required()} />
        <DateInput source="endDate" validate={required()} />
        <TextInput source="content" validate={required()} multiline minRows={3} fullWidth />
        <TextInput source="mentorName" validate={required()} />
      </SimpleForm>
    </Create>
  );
}
