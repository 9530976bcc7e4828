import { MenuItem, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';

/** A student as typed in: added to the roster before the class runs, or joining it while it runs. */
export interface StudentInput {
  name: string;
  idNumber: string;
  gender: 'male' | 'female';
  phone: string;
}

export const EMPTY_STUDENT: StudentInput = { name: '', idNumber: '', gender: 'male', phone: '' };

/** The request body: an empty phone is left out. */
export const studentBody = (s: StudentInput) => ({ ...s, phone: s.phone || undefined });

/** Name, 居民身份证号码, gender and phone, laid out by the parent (a row, or a column). */
export function StudentFields({ value, onChange }: { value: StudentInput; onChange: (next: StudentInput) => void }) {
  const translate = useTranslate();
  return (
    <>
      <TextField size="small" label={translate('app.oc.student_name')} value={value.name} onChange={(e) => onChange({ ...value, name: e.target.value })} />
      <TextField
        size="small"
        label={translate('app.oc.id_number')}
        value={value.idNumber}
        onChange={(e) => onChange({ ...value, idNumber: e.target.value })}
        slotProps={{ htmlInput: { maxLength: 18, autoComplete: 'off' } }}
      />
      <TextField
        select
        size="small"
        label={translate('app.oc.gender')}
        value={value.gender}
        onChange={(e) => onChange({ ...value, gender: e.target.value as StudentInput['gender'] })}
        sx={{ minWidth: 100 }}
      >
        <MenuItem value="male">{translate('app.oc.male')}</MenuItem>
        <MenuItem value="female">{translate('app.oc.female')}</MenuItem>
      </TextField>
      <TextField
        size="small"
        label={translate('app.oc.phone')}
        value={value.phone}
        onChange={(e) => onChange({ ...value, phone: e.target.value })}
        slotProps={{ htmlInput: { autoComplete: 'off' } }}
      />
    </>
  );
}
