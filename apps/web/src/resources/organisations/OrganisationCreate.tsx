import { Create, SimpleForm } from 'react-admin';
import { normaliseOrganisation, OrganisationInputs } from './OrganisationInputs';

export function OrganisationCreate() {
  return (
    <Create redirect="show" transform={normaliseOrganisation}>
      <SimpleForm defaultValues={{ kind: 'enterprise' }}>
        <OrganisationInputs mode="create" />
      </SimpleForm>
    </Create>
  );
}
