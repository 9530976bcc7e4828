import { AutocompleteInput, Create, DateInput, NumberInput, ReferenceInput, SimpleForm, TextInput, required, useTranslate } from 'react-admin';
import { majorNameChoices } from './shared';

/** An enterprise publishes a 千企万岗 post (county and industry are the enterprise's own). */
export function PostCreate() {
  const translate = useTranslate();
  return (
    <Create resource="practice-posts" redirect="list" title={translate('app.practice.new_post')}>
      <SimpleForm>
        <TextInput source="title" validate={required()} fullWidth />
        <AutocompleteInput source="major" choices={majorNameChoices} translateChoice={false} validate={required()} sx={{ minWidth: 320 }} />
        <NumberInput source="openings" validate={required()} min={1} max={1000} />
        <DateInput source="startDate" validate={required()} />
        <DateInput source="endDate" validate={required()} />
        <TextInput source="content" validate={required()} multiline minRows={3} fullWidth />
        <TextInput source="mentorName" validate={required()} />
        {/* the mentor's own account, among the enterprise's active users (the server checks it is one): the records of
            this post's teachers then wait for that person's confirmation of the hours, not for any of the enterprise's users */}
        <ReferenceInput source="mentorUserId" reference="users" filter={{ active: true }} sort={{ field: 'displayName', order: 'ASC' }} perPage={50}>
          <AutocompleteInput
            optionText="displayName"
            filterToQuery={(q: string) => ({ q })}
            helperText={translate('app.practice.mentor_account_help')}
            sx={{ minWidth: 320 }}
          />
        </ReferenceInput>
      </SimpleForm>
    </Create>
  );
}
