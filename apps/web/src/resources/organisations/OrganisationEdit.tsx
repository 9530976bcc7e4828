import { Edit, SimpleForm, useRecordContext } from 'react-admin';
import { normaliseOrganisation, OrganisationInputs } from './OrganisationInputs';

function OrganisationTitle() {
  const record = useRecordContext();
  return <span>{record?.name ?? ''}</span>;
}

/** Pessimistic, so the server's field errors land on the form instead of after an undo delay. */
export function OrganisationEdit() {
  return (
    <Edit title={<OrganisationTitle />} mutationMode="pessimistic" redirect="show" transform={normaliseOrganisation}>
      <SimpleForm>
        <OrganisationInputs mode="edit" />
      </SimpleForm>
    </Edit>
  );
}
