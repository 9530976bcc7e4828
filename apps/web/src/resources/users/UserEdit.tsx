import { Edit, SaveButton, SimpleForm, Toolbar, useRecordContext } from 'react-admin';
import { UserInputs, useUserTransform } from './UserInputs';

function UserTitle() {
  const record = useRecordContext();
  return <span>{record ? `${record.displayName}（${record.username}）` : ''}</span>;
}

/** Users are deactivated, never deleted: the toolbar has a save button only. */
function SaveOnlyToolbar() {
  return (
    <Toolbar>
      <SaveButton />
    </Toolbar>
  );
}

export function UserEdit() {
  const transform = useUserTransform('edit');
  return (
    <Edit title={<UserTitle />} mutationMode="pessimistic" redirect="list" transform={transform} actions={false}>
      <SimpleForm toolbar={<SaveOnlyToolbar />}>
        <UserInputs mode="edit" />
      </SimpleForm>
    </Edit>
  );
}
