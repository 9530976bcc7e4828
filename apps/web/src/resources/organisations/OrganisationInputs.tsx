import { Box } from '@mui/material';
import type { OrganisationKind } from '@portal/contracts';
import { FormDataConsumer, maxLength, minLength, required, SelectInput, TextInput, useRecordContext } from 'react-admin';
import { authorityTypeChoices, countyChoices, industryChoices, kindChoices, schoolTypeChoices } from '../../common/choices';
import { parseCreditCode, validateCreditCode, validatePhone } from '../../common/validators';

/**
 * Fields of its own record an organisation's manager may edit (mirrors SELF_EDITABLE in
 * libs/server/identity/src/auth/access.rules.ts); everything else is the admin's.
 */
export const SELF_EDITABLE: Record<OrganisationKind, readonly string[]> = {
  enterprise: ['address', 'contactName', 'contactPhone', 'industry'],
  school: ['address', 'contactName', 'contactPhone'],
  authority: [],
};

/** Credit code: required for an enterprise (its identity in every application), checked when present. */
const creditCodeRules = (kind: OrganisationKind | undefined) => (kind === 'enterprise' ? [required(), validateCreditCode] : [validateCreditCode]);

const grid = { display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2, width: '100%', maxWidth: 900 } as const;

export type OrganisationFormMode = 'create' | 'edit' | 'self';

/**
 * The organisation's inputs, shared by create, edit (admin) and 我的单位 (self). The kind decides which
 * classification is asked for: industry (enterprise), school type (school), authority type (authority).
 * The kind is chosen once, at creation; in 'self' mode only the fields the manager may change are open.
 */
export function OrganisationInputs({ mode, fixedKind }: { mode: OrganisationFormMode; fixedKind?: OrganisationKind }) {
  const record = useRecordContext();
  const locked = (field: string, kind: OrganisationKind | undefined) => mode === 'self' && !(kind && SELF_EDITABLE[kind].includes(field));
  const lockedProps = (field: string, kind: OrganisationKind | undefined) =>
    locked(field, kind) ? { disabled: true, readOnly: true, helperText: 'app.organisations.admin_only' } : {};
  return (
    <Box sx={grid}>
      {mode === 'create' ? (
        <SelectInput source="kind" choices={kindChoices} validate={required()} />
      ) : (
        <SelectInput source="kind" choices={kindChoices} disabled readOnly helperText="app.organisations.kind_fixed" />
      )}
      <FormDataConsumer<{ kind?: OrganisationKind }>>
        {({ formData }) => {
          const kind = fixedKind ?? formData.kind ?? (record?.kind as OrganisationKind | undefined);
          return (
            <>
              <TextInput source="name" validate={[required(), minLength(2), maxLength(100)]} {...lockedProps('name', kind)} />
              <TextInput
                source="creditCode"
                helperText="app.organisations.credit_code_hint"
                parse={parseCreditCode}
                validate={creditCodeRules(kind)}
                slotProps={{ htmlInput: { maxLength: 18, spellCheck: false } }}
                {...lockedProps('creditCode', kind)}
              />
              <SelectInput
                source="countyCode"
                choices={countyChoices}
                translateChoice={false}
                validate={kind === 'enterprise' ? required() : undefined}
                {...lockedProps('countyCode', kind)}
              />
              {kind === 'enterprise' && (
                <SelectInput source="industry" choices={industryChoices} translateChoice={false} validate={required()} {...lockedProps('industry', kind)} />
              )}
              {kind === 'school' && (
                <SelectInput
                  source="schoolType"
                  choices={schoolTypeChoices}
                  translateChoice={false}
                  validate={required()}
                  {...lockedProps('schoolType', kind)}
                />
              )}
              {kind === 'authority' && (
                <SelectInput
                  source="authorityType"
                  choices={authorityTypeChoices}
                  translateChoice={false}
                  validate={required()}
                  {...lockedProps('authorityType', kind)}
                />
              )}
              <TextInput source="address" validate={maxLength(200)} sx={{ gridColumn: { md: '1 / -1' } }} {...lockedProps('address', kind)} />
              <TextInput source="contactName" validate={maxLength(50)} {...lockedProps('contactName', kind)} />
              <TextInput source="contactPhone" validate={validatePhone} {...lockedProps('contactPhone', kind)} />
            </>
          );
        }}
      </FormDataConsumer>
    </Box>
  );
}

/** Clear the classifications that do not belong to the kind (an enterprise has no school type…). */
export function normaliseOrganisation<T extends Record<string, unknown>>(data: T): T {
  const kind = data.kind as OrganisationKind | undefined;
  if (!kind) return data;
  return {
    ...data,
    industry: kind === 'enterprise' ? (data.industry ?? null) : null,
    schoolType: kind === 'school' ? (data.schoolType ?? null) : null,
    authorityType: kind === 'authority' ? (data.authorityType ?? null) : null,
  };
}
