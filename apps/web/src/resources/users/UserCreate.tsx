import { Create, SimpleForm } from 'react-admin';
import { UserInputs, useUserTransform } from './UserInputs';

export function UserCreate() {
  const transform = useUserTransform('create');
  return (
    <Create redirect="list" transform={transform}>
      <SimpleForm>
        <UserInputs mode="create" />
      </SimpleForm>
    </Create>
  );
}
