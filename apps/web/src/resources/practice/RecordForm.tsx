import { AutocompleteInput, DateInput, NumberInput, RadioButtonGroupInput, ReferenceInput, SelectInput, TextInput, required, useTranslate } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { formChoices, postChoiceText } from './shared';

/** The fields of a practice record (new, or corrected after a return): the host registered or invited. */
export function RecordFields() {
  const translate = useTranslate();
  const hostKind = useWatch({ name: 'hostKind' }) as string | undefined;
  const hostOrgId = useWatch({ name: 'hostOrgId' }) as number | undefined;
  return (
    <>
      <RadioButtonGroupInput
        source="hostKind"
        label={false}
        defaultValue="registered"
        choices={[
          { id: 'registered', name: translate('app.practice.host_registered') },
          { id: 'invited', name: translate('app.practice.host_invited') },
        ]}
        translateChoice={false}
      />
      {hostKind !== 'invited' ? (
        <ReferenceInput source="hostOrgId" reference="practice-hosts">
          <AutocompleteInput optionText="name" filterToQuery={(q: string) => ({ q })} validate={required()} sx={{ minWidth: 360 }} />
        </ReferenceInput>
      ) : (
        <>
          <TextInput source="hostCreditCode" validate={required()} />
          <TextInput source="hostEmail" type="email" validate={required()} />
        </>
      )}
      {/* only the posts on which the enterprise accepted this teacher (the server refuses any other), of the chosen host */}
      <ReferenceInput
        source="postId"
        reference="practice-posts"
        filter={{ acceptedForMe: true, ...(hostKind !== 'invited' && hostOrgId ? { enterpriseId: hostOrgId } : {}) }}
      >
        <SelectInput optionText={postChoiceText} emptyText="—" helperText={translate('app.practice.post_choice_help')} />
      </ReferenceInput>
      <DateInput source="startDate" validate={required()} />
      <DateInput source="endDate" validate={required()} />
      <NumberInput source="hours" validate={required()} min={1} />
      <SelectInput source="form" choices={formChoices} translateChoice={false} validate={required()} />
      <TextInput source="content" validate={required()} multiline minRows={3} fullWidth />
      <TextInput source="outcomes" multiline minRows={2} fullWidth />
    </>
  );
}
