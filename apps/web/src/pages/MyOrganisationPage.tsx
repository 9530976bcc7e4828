import EditIcon from '@mui/icons-material/Edit';
import { Alert, Box, Button } from '@mui/material';
import { useState } from 'react';
import { Edit, Loading, SaveButton, Show, SimpleForm, Title, Toolbar, TopToolbar, useNotify, useRefresh, useTranslate } from 'react-admin';
import { useMe } from '../common/useMe';
import { isOrganisationManager } from '../providers/access';
import { invalidateMe } from '../providers/session';
import { OrganisationDetails } from '../resources/organisations/OrganisationShow';
import { normaliseOrganisation, OrganisationInputs } from '../resources/organisations/OrganisationInputs';

function EditToolbar({ onCancel }: { onCancel: () => void }) {
  const translate = useTranslate();
  return (
    <Toolbar sx={{ gap: 1 }}>
      <SaveButton />
      <Button onClick={onCancel} data-testid="cancel-edit">
        {translate('app.my_organisation.cancel')}
      </Button>
    </Toolbar>
  );
}

/**
 * 我的单位: the own organisation of an enterprise applicant or a school admin, read with
 * GET /api/organisations/:id and saved with PUT to the same address. The kind cannot be changed here.
 */
export function MyOrganisationPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { me, roles, isPending } = useMe();
  const [editing, setEditing] = useState(false);
  if (isPending) return <Loading />;
  const title = translate('app.my_organisation.title');
  if (!me?.organisationId || !isOrganisationManager(roles)) {
    return (
      <Box sx={{ mt: 2 }}>
        <Title title={title} />
        <Alert severity="info">{translate(me?.organisationId ? 'ra.message.access_denied' : 'app.my_organisation.none')}</Alert>
      </Box>
    );
  }
  const id = me.organisationId;
  if (editing) {
    return (
      <Edit
        resource="organisations"
        id={id}
        title={title}
        actions={false}
        mutationMode="pessimistic"
        redirect={false}
        transform={normaliseOrganisation}
        mutationOptions={{
          onSuccess: () => {
            invalidateMe();
            notify('app.my_organisation.saved', { type: 'success' });
            setEditing(false);
            refresh();
          },
        }}
      >
        <SimpleForm toolbar={<EditToolbar onCancel={() => setEditing(false)} />}>
          <OrganisationInputs mode="self" fixedKind={me.organisation?.kind} />
        </SimpleForm>
      </Edit>
    );
  }
  return (
    <Show
      resource="organisations"
      id={id}
      title={title}
      actions={
        <TopToolbar>
          <Button startIcon={<EditIcon />} onClick={() => setEditing(true)} data-testid="edit-my-organisation">
            {translate('app.my_organisation.edit')}
          </Button>
        </TopToolbar>
      }
    >
      <OrganisationDetails />
    </Show>
  );
}
