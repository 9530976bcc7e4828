import { Box } from '@mui/material';
import type { OrganisationKind } from '@portal/contracts';
import { FormDataConsumer, maxLength, required, SelectInput, TextInput } from 'react-admin';
import { authorityTypeChoices, countyChoices, industryChoices, kindChoices, schoolTypeChoices } from '../../common/choices';
import { parseCreditCode, validateCreditCode, validatePhone } from '../../common/validators';

/** Credit code: required for an enterprise (its identity in every application), checked when present. */
const creditCodeRules = (kind: OrganisationKind | undefined) => (kind === 'enterprise' ? [required(), validateCreditCode] : [validateCreditCode]);

const grid = { display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2, width: '100%', maxWidth: 900 } as const;

/**
 * The organisation's inputs, shared by create, edit and 我的单位. The kind decides which classification
 * is asked for: industry (enterprise), school type (school), authority type (authority).
 */
export function OrganisationInputs({ kindEditable = true, fixedKind }: { kindEditable?: boolean; fixedKind?: OrganisationKind }) {
  return (
    <Box sx={grid}>
      {kindEditable ? (
        <SelectInput source="kind" choices={kindChoices} validate={required()} />
      ) : (
        <SelectInput source="kind" choices={kindChoices} disabled readOnly />
      )}
      <TextInput source="name" validate={[required(), maxLength(200)]} />
      <FormDataConsumer<{ kind?: OrganisationKind }>>
        {({ formData }) => {
          const kind = fixedKind ?? formData.kind;
          return (
            <>
              <TextInput
                source="creditCode"
                helperText="app.organisations.credit_code_hint"
                parse={parseCreditCode}
                validate={creditCodeRules(kind)}
                slotProps={{ htmlInput: { maxLength: 18, spellCheck: false } }}
              />
              <SelectInput source="countyCode" choices={countyChoices} translateChoice={false} validate={kind === 'enterprise' ? required() : undefined} />
              {kind === 'enterprise' && <SelectInput source="industry" choices={industryChoices} translateChoice={false} validate={required()} />}
              {kind === 'school' && <SelectInput source="schoolType" choices={schoolTypeChoices} translateChoice={false} validate={required()} />}
              {kind === 'authority' && <SelectInput source="authorityType" choices={authorityTypeChoices} translateChoice={false} validate={required()} />}
            </>
          );
        }}
      </FormDataConsumer>
      <TextInput source="address" validate={maxLength(300)} sx={{ gridColumn: { md: '1 / -1' } }} />
      <TextInput source="contactName" validate={maxLength(100)} />
      <TextInput source="contactPhone" validate={validatePhone} />
    </Box>
  );
}

/** Clear the classifications that do not belong to the kind (an enterprise has no school type…). */
export function normaliseOrganisation<T extends Record<string, unknown>>(data: T): T {
  const kind = data.kind as OrganisationKind | undefined;
  if (!kind) return data;
  return {
    ...data,
    industry: kind === 'enterprise' ? data.industry ?? null : null,
    schoolType: kind === 'school' ? data.schoolType ?? null : null,
    authorityType: kind === 'authority' ? data.authorityType ?? null : null,
  };
}
