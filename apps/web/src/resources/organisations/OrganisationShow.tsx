import type { OrganisationDto } from '@portal/contracts';
import { SelectField, Show, SimpleShowLayout, TextField, useRecordContext, type ShowProps } from 'react-admin';
import { authorityTypeChoices, countyChoices, industryChoices, kindChoices, schoolTypeChoices } from '../../common/choices';
import { DateTimeField } from '../../common/fields';

function OrganisationTitle() {
  const record = useRecordContext();
  return <span>{record?.name ?? ''}</span>;
}

/** The organisation's fields, shown for whichever kind it is. */
export function OrganisationDetails() {
  const record = useRecordContext<OrganisationDto>();
  const kind = record?.kind;
  return (
    <SimpleShowLayout>
      <TextField source="name" />
      <SelectField source="kind" choices={kindChoices} />
      <TextField source="creditCode" emptyText="—" />
      <SelectField source="countyCode" choices={countyChoices} translateChoice={false} emptyText="—" />
      {kind === 'enterprise' && <SelectField source="industry" choices={industryChoices} translateChoice={false} emptyText="—" />}
      {kind === 'school' && <SelectField source="schoolType" choices={schoolTypeChoices} translateChoice={false} emptyText="—" />}
      {kind === 'authority' && <SelectField source="authorityType" choices={authorityTypeChoices} translateChoice={false} emptyText="—" />}
      <TextField source="address" emptyText="—" />
      <TextField source="contactName" emptyText="—" />
      <TextField source="contactPhone" emptyText="—" />
      <DateTimeField source="createdAt" />
      <DateTimeField source="updatedAt" />
    </SimpleShowLayout>
  );
}

export function OrganisationShow(props: ShowProps) {
  return (
    <Show title={<OrganisationTitle />} {...props}>
      <OrganisationDetails />
    </Show>
  );
}
