import { Chip } from '@mui/material';
import { DataTable, List, NullableBooleanInput, SearchInput, useTranslate } from 'react-admin';
import { ExportActions } from '../../common/ExportButton';
import { DateTimeField } from '../../common/fields';

function Outcome({ success }: { success: unknown }) {
  const translate = useTranslate();
  return success ? (
    <Chip size="small" color="success" variant="outlined" label={translate('app.login_events.success')} />
  ) : (
    <Chip size="small" color="error" variant="outlined" label={translate('app.login_events.failure')} />
  );
}

/** The fields of a login event the columns below render. */
interface LoginEventRecord {
  id: number;
  success: boolean;
  reason: string | null;
}

const filters = [<SearchInput key="q" source="q" alwaysOn />, <NullableBooleanInput key="success" source="success" />];

function Reason({ reason }: { reason: unknown }) {
  const translate = useTranslate();
  if (typeof reason !== 'string' || !reason) return null;
  return <span title={reason}>{translate(`app.login_events.reasons.${reason}`, { _: reason })}</span>;
}

/** 登录日志 (admin, read only): every login attempt, newest first. */
export function LoginEventList() {
  const translate = useTranslate();
  return (
    <List
      filters={filters}
      sort={{ field: 'at', order: 'DESC' }}
      perPage={50}
      exporter={false}
      actions={<ExportActions />}
      title={translate('app.menu.login_events')}
    >
      <DataTable bulkActionButtons={false}>
        <DataTable.Col source="at">
          <DateTimeField source="at" />
        </DataTable.Col>
        <DataTable.Col source="username" />
        <DataTable.Col<LoginEventRecord> source="success" disableSort render={(record) => <Outcome success={record.success} />} />
        <DataTable.Col<LoginEventRecord> source="reason" disableSort render={(record) => <Reason reason={record.reason} />} />
        <DataTable.Col source="ip" disableSort sx={{ fontFamily: 'monospace' }} />
      </DataTable>
    </List>
  );
}
