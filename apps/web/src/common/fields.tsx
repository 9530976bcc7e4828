import { Chip, Stack } from '@mui/material';
import { isRole, type UserDto } from '@portal/contracts';
import { FunctionField, useTranslate, type FunctionFieldProps } from 'react-admin';
import { roleKey } from './choices';
import { formatDateTime } from './format';

/** The roles of a user as chips with their labels (系统管理员, 县级审核, …). */
export function RoleChips({ roles }: { roles: unknown }) {
  const translate = useTranslate();
  const list = Array.isArray(roles) ? roles.filter(isRole) : [];
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {list.map((r) => (
        <Chip key={r} size="small" label={translate(roleKey(r))} color={r === 'admin' ? 'primary' : 'default'} variant="outlined" />
      ))}
    </Stack>
  );
}

export function RolesField(props: Omit<FunctionFieldProps, 'render'>) {
  return <FunctionField<UserDto> {...props} render={(record) => <RoleChips roles={record?.roles} />} />;
}

/**
 * An instant as people in Wenzhou read it, the portal's one format (2026-11-30 22:31, Asia/Shanghai) whatever the
 * browser's time zone: react-admin's DateField follows the browser's clock and writes 2026/11/30 14:31:36.
 */
export function DateTimeField({ source, emptyText = '—', ...props }: Omit<FunctionFieldProps, 'render'> & { source: string; emptyText?: string }) {
  return (
    <FunctionField
      {...props}
      source={source}
      render={(record: Record<string, unknown> | undefined) => {
        const v = record?.[source];
        return typeof v === 'string' && v ? formatDateTime(v) : emptyText;
      }}
    />
  );
}
