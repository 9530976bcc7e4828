import { Box, Typography } from '@mui/material';
import {
  COUNTY_SCOPED_ROLES,
  DELEGABLE_ROLES,
  ROLES,
  ROLES_BY_ORGANISATION_KIND,
  type OrganisationDto,
  type OrganisationKind,
  type Role,
  type UserDto,
} from '@portal/contracts';
import {
  AutocompleteInput,
  BooleanInput,
  email,
  FormDataConsumer,
  maxLength,
  PasswordInput,
  ReferenceInput,
  required,
  SelectArrayInput,
  SelectInput,
  TextInput,
  useGetOne,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { useWatch } from 'react-hook-form';
import { countyChoices, roleChoices } from '../../common/choices';
import { useMe } from '../../common/useMe';
import { validatePasswordShape, validatePhone, validateUsername } from '../../common/validators';
import { hasRole } from '../../providers/access';

const grid = { display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2, width: '100%', maxWidth: 900 } as const;

/** The roles this user may hand out: an admin any role the organisation's kind allows; a manager the delegable ones. */
export function grantableRoles(myRoles: readonly Role[], kind: OrganisationKind | undefined): readonly Role[] {
  if (hasRole(myRoles, 'admin')) return kind ? ROLES.filter((r) => ROLES_BY_ORGANISATION_KIND[kind].includes(r)) : ROLES;
  const set = new Set<Role>();
  for (const r of myRoles) for (const g of DELEGABLE_ROLES[r] ?? []) set.add(g);
  return ROLES.filter((r) => set.has(r));
}

/** Roles that may be limited to a county: required for a county reviewer, optional for finance (empty = city level). */
const COUNTY_OPTIONAL_ROLES: readonly Role[] = ['finance'];
const anyOf = (roles: unknown, wanted: readonly Role[]) => Array.isArray(roles) && roles.some((r) => wanted.includes(r as Role));
const needsJurisdiction = (roles: unknown) => anyOf(roles, COUNTY_SCOPED_ROLES);
const mayHaveJurisdiction = (roles: unknown) => anyOf(roles, COUNTY_SCOPED_ROLES) || anyOf(roles, COUNTY_OPTIONAL_ROLES);

function RolesInput({ organisationId }: { organisationId: unknown }) {
  const translate = useTranslate();
  const { roles: myRoles, me } = useMe();
  const admin = hasRole(myRoles, 'admin');
  const orgId = admin ? organisationId : me?.organisationId;
  const { data: org } = useGetOne<OrganisationDto>('organisations', { id: orgId as number }, { enabled: admin && orgId != null && orgId !== '' });
  const kind = admin ? org?.kind : me?.organisation?.kind;
  return (
    <SelectArrayInput
      source="roles"
      choices={roleChoices(grantableRoles(myRoles, kind))}
      validate={required()}
      helperText={translate('app.users.roles_hint')}
    />
  );
}

/**
 * The phone on edit: the record carries it masked only (personal data), so the current number is shown masked
 * beside an empty input whose new number is sent only when one is typed (updateBody leaves an empty one out).
 */
function NewPhoneInput() {
  const translate = useTranslate();
  const record = useRecordContext<UserDto>();
  const masked = record?.phoneMasked;
  const clearing = useWatch({ name: 'clearPhone' }) === true;
  return (
    <Box>
      <TextInput
        source="phone"
        label="app.users.phone_new"
        validate={clearing ? undefined : validatePhone}
        disabled={clearing}
        autoComplete="off"
        helperText={masked ? translate('app.users.phone_current', { masked }) : translate('app.users.phone_none')}
      />
      {/* the number is write-only here, so emptying the input keeps it: removing it is asked for explicitly */}
      {masked && <BooleanInput source="clearPhone" label="app.users.phone_clear" helperText={false} />}
    </Box>
  );
}

/**
 * The user's inputs for create and edit. An admin picks the organisation; an organisation manager's new
 * users always belong to the manager's own organisation (set on save, the server checks it too).
 */
export function UserInputs({ mode }: { mode: 'create' | 'edit' }) {
  const translate = useTranslate();
  const { roles: myRoles, me } = useMe();
  const admin = hasRole(myRoles, 'admin');
  return (
    <Box sx={grid}>
      {mode === 'create' ? (
        <TextInput source="username" validate={[required(), validateUsername]} autoComplete="off" />
      ) : (
        <TextInput source="username" disabled readOnly helperText="app.users.username_fixed" />
      )}
      <TextInput source="displayName" validate={[required(), maxLength(50)]} />
      {mode === 'create' ? (
        <PasswordInput
          source="password"
          validate={[required(), maxLength(128), validatePasswordShape]}
          helperText="app.users.password_new_hint"
          autoComplete="new-password"
        />
      ) : (
        <PasswordInput source="password" validate={[maxLength(128), validatePasswordShape]} helperText="app.users.password_hint" autoComplete="new-password" />
      )}
      {admin ? (
        <ReferenceInput source="organisationId" reference="organisations" sort={{ field: 'name', order: 'ASC' }} perPage={50}>
          <AutocompleteInput optionText="name" filterToQuery={(q: string) => ({ q })} validate={required()} />
        </ReferenceInput>
      ) : (
        <Box sx={{ display: 'flex', flexDirection: 'column', justifyContent: 'center', mb: 2 }}>
          <Typography variant="caption" color="text.secondary">
            {translate('resources.users.fields.organisationId')}
          </Typography>
          <Typography variant="body1">{me?.organisation?.name ?? '—'}</Typography>
        </Box>
      )}
      <FormDataConsumer<{ organisationId?: unknown; roles?: unknown }>>
        {({ formData }) => (
          <>
            <RolesInput organisationId={formData.organisationId} />
            {admin && mayHaveJurisdiction(formData.roles) ? (
              <SelectInput
                source="jurisdiction"
                choices={countyChoices}
                translateChoice={false}
                validate={needsJurisdiction(formData.roles) ? required() : undefined}
                emptyText={translate('app.dashboard.city_wide')}
                helperText="app.users.jurisdiction_hint"
              />
            ) : (
              <span />
            )}
          </>
        )}
      </FormDataConsumer>
      <TextInput source="email" type="email" validate={email()} />
      {mode === 'create' ? <TextInput source="phone" validate={validatePhone} /> : <NewPhoneInput />}
      {mode === 'edit' && <BooleanInput source="active" />}
    </Box>
  );
}

/** What is sent: no jurisdiction without a county-scoped role; a manager's users join the manager's organisation. */
export function useUserTransform(mode: 'create' | 'edit') {
  const { roles, me } = useMe();
  const admin = hasRole(roles, 'admin');
  return (data: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...data };
    if (!mayHaveJurisdiction(out.roles)) out.jurisdiction = null;
    if (!admin && mode === 'create' && me) out.organisationId = me.organisationId;
    return out;
  };
}
